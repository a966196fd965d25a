package org.sstorchestrator.states.args;

import java.util.regex.Pattern;
import org.sstorchestrator.states.ExitCode;
import org.sstorchestrator.states.SstException;
import org.sstorchestrator.states.text.Secret;

/**
 * What a joiner in a VERIFY ssl-mode puts before '@' in its address: {@code <CN>:<secret>}.
 * mysqld hands it to the donor as WSREP_SST_OPT_REMOTE_AUTH; it comes from the other node.
 *
 * <p>Split as the stock donor splits it: at the first ':' (so a CN cannot hold one), and a
 * value without ':' is both the name and the secret. The grammar is ours and strict, but
 * takes every CN a certificate commonly carries: letters and digits of any script, and
 * {@code . _ - * @ + = , ( ) & # ! ~}, at most 64 (the X.509 upper bound); not '/', a name
 * is never a path. The stock donor's {@code safe} refuses a space, a quote, a backtick or
 * '$' with exit 21; we refuse those and also backslashes, ';', '|', '<', '>', control and
 * format characters, with 22. The secret after the ':' is hex, as every joiner makes it.
 */
public record RemoteAuth(String commonName, Secret secret) {

    /** A certificate's CN that may travel in the address (the joiner checks its own with this too). */
    public static final Pattern CN = Pattern.compile("[\\p{L}\\p{M}\\p{N}._*@+=,()&#!~-]{0,64}");
    private static final Pattern SECRET = Pattern.compile("[0-9A-Fa-f]{0,128}");

    public static RemoteAuth parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        int colon = value.indexOf(':');
        String cn = colon < 0 ? value : value.substring(0, colon);
        String secret = colon < 0 ? value : value.substring(colon + 1);
        if (!CN.matcher(cn).matches() || !(colon < 0 || SECRET.matcher(secret).matches())) {
            throw new SstException(ExitCode.EINVAL, "WSREP_SST_OPT_REMOTE_AUTH from the joiner is not <CN>:<hex secret>"
                    + " (a CN of at most 64 letters, digits and . _ - * @ + = , ( ) & # ! ~; value withheld, it may"
                    + " hold a secret)");
        }
        return new RemoteAuth(cn, Secret.of(secret));
    }
}
