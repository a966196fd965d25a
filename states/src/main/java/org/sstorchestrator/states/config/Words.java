package org.sstorchestrator.states.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an option value into words as a POSIX shell splits a command line, and nothing more:
 * whitespace separates words, single quotes keep everything literally, double quotes keep
 * everything but a backslash before {@code " \ $ `}, a backslash outside quotes keeps the
 * next character. The stock script hands {@code inno-*-opts} to {@code eval}, which also
 * expands {@code $(...)}, globs and {@code ;}: we never run a shell, so those stay literal
 * characters of a word (the difference is in docs/options.md).
 */
public final class Words {

    private Words() {
    }

    public static List<String> split(String setting, String value) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'') {
                int end = value.indexOf('\'', i + 1);
                if (end < 0) {
                    throw unbalanced(setting, value, "single quote");
                }
                w.append(value, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < value.length() && value.charAt(j) != '"'; j++) {
                    char d = value.charAt(j);
                    if (d == '\\' && j + 1 < value.length() && "\"\\$`".indexOf(value.charAt(j + 1)) >= 0) {
                        j++;
                        d = value.charAt(j);
                    }
                    w.append(d);
                }
                if (j >= value.length()) {
                    throw unbalanced(setting, value, "double quote");
                }
                i = j;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < value.length()) {
                    w.append(value.charAt(++i));
                }
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return List.copyOf(words);
    }

    /**
     * The first character outside quotes that a shell would treat as syntax rather than as part
     * of a word ({@code | & ; < > ( ) $ `}, and {@code #} starting a word), for values that name a command to run: there we
     * refuse such syntax instead of passing it on literally (a {@code |} in an argv is never
     * the pipe its writer meant). Quoted, or after a backslash, they are ordinary characters.
     */
    public static java.util.Optional<Character> unquotedShellSyntax(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\'') {
                int end = value.indexOf('\'', i + 1);
                i = end < 0 ? value.length() : end;
            } else if (c == '"') {
                for (i++; i < value.length() && value.charAt(i) != '"'; i++) {
                    char d = value.charAt(i);
                    if (d == '$' || d == '`') {
                        return java.util.Optional.of(d); // expanded inside double quotes too
                    }
                    if (d == '\\') {
                        i++;
                    }
                }
            } else if ("|&;<>()$`".indexOf(c) >= 0 || c == '#' && (i == 0 || Character.isWhitespace(value.charAt(i - 1)))) {
                return java.util.Optional.of(c); // '#' starting a word starts a comment
            }
        }
        return java.util.Optional.empty();
    }

    private static org.sstorchestrator.states.SstException unbalanced(String setting, String value, String what) {
        return new org.sstorchestrator.states.SstException(org.sstorchestrator.states.ExitCode.EINVAL,
                setting + " = '" + value + "' is invalid: an unbalanced " + what);
    }
}
