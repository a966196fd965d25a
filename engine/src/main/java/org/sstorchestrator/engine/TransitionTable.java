package org.sstorchestrator.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The single source of truth for a machine's graph: its states, the edges between them, and
 * the edge every working state takes when its stage fails.
 *
 * <p>Failure handling is part of the table, not of the stages: every non-terminal state except
 * the recovery state itself goes to {@link #recoveryState()} on {@link #FAILED}, and the
 * recovery state goes to {@link #failedState()} whatever happens in it.
 */
public final class TransitionTable {

    /** The event fired when a stage throws. Not a legal stage outcome. */
    public static final String FAILED = "failed";

    private final String name;
    private final String initial;
    private final List<String> states;
    private final List<Transition> transitions;
    private final String recoveryState;
    private final String completedState;
    private final String failedState;

    private TransitionTable(Builder b) {
        this.name = b.name;
        this.initial = b.initial;
        this.recoveryState = b.recovery;
        this.completedState = b.completed;
        this.failedState = b.failed;
        Set<String> all = new LinkedHashSet<>(b.states);
        all.add(recoveryState);
        all.add(completedState);
        all.add(failedState);
        this.states = List.copyOf(all);
        List<Transition> edges = new ArrayList<>(b.transitions);
        for (String s : states) {
            if (!isTerminal(s) && !s.equals(recoveryState)) {
                edges.add(new Transition(s, FAILED, recoveryState));
            }
        }
        edges.add(new Transition(recoveryState, Stage.OK, failedState));
        edges.add(new Transition(recoveryState, FAILED, failedState));
        this.transitions = Collections.unmodifiableList(edges);
        validate();
    }

    private void validate() {
        if (!states.contains(initial)) {
            throw new IllegalArgumentException(name + ": initial state " + initial + " is not declared");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Transition t : transitions) {
            if (!states.contains(t.from()) || !states.contains(t.to())) {
                throw new IllegalArgumentException(name + ": transition " + t + " names an undeclared state");
            }
            if (!seen.add(t.from() + "\u0000" + t.on())) {
                throw new IllegalArgumentException(name + ": two transitions leave " + t.from() + " on " + t.on());
            }
        }
        for (String s : states) {
            if (!isTerminal(s) && transitions.stream().noneMatch(t -> t.from().equals(s) && !t.on().equals(FAILED))) {
                throw new IllegalArgumentException(name + ": state " + s + " has no way forward");
            }
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public String initial() {
        return initial;
    }

    public List<String> states() {
        return states;
    }

    public List<Transition> transitions() {
        return transitions;
    }

    public String recoveryState() {
        return recoveryState;
    }

    public String completedState() {
        return completedState;
    }

    public String failedState() {
        return failedState;
    }

    public boolean isTerminal(String state) {
        return state.equals(completedState) || state.equals(failedState);
    }

    public Optional<String> next(String from, String on) {
        return transitions.stream()
                .filter(t -> t.from().equals(from) && t.on().equals(on))
                .map(Transition::to)
                .findFirst();
    }

    /**
     * The working states a run passes through when every stage ends {@link Stage#OK}, except
     * those {@code outcomes} names with another outcome (say, receive_magic → ist): what a
     * clean run records, derived from the table instead of spelled out again.
     */
    public List<String> path(Map<String, String> outcomes) {
        List<String> out = new ArrayList<>();
        String state = initial;
        while (!isTerminal(state)) {
            if (out.contains(state)) {
                throw new IllegalStateException(name + ": the path loops at " + state);
            }
            out.add(state);
            String from = state;
            String on = outcomes.getOrDefault(from, Stage.OK);
            state = next(from, on).orElseThrow(() -> new IllegalArgumentException(
                    name + ": " + from + " has no transition on " + on));
        }
        return out;
    }

    /** A Mermaid state diagram of the table, checked in under docs/ and tested for staleness. */
    public String toMermaid() {
        StringBuilder out = new StringBuilder("stateDiagram-v2\n");
        out.append("    [*] --> ").append(initial).append('\n');
        for (Transition t : transitions) {
            if (t.on().equals(FAILED) && !t.from().equals(recoveryState)) {
                continue; // drawn once below instead of from every state
            }
            out.append("    ").append(t.from()).append(" --> ").append(t.to())
                    .append(" : ").append(t.on()).append('\n');
        }
        out.append("    note right of ").append(recoveryState)
                .append(" : every working state goes here when its stage fails\n");
        out.append("    ").append(completedState).append(" --> [*]\n");
        out.append("    ").append(failedState).append(" --> [*]\n");
        return out.toString();
    }

    public static final class Builder {
        private final String name;
        private String initial;
        private final List<String> states = new ArrayList<>();
        private final List<Transition> transitions = new ArrayList<>();
        private String recovery = "abort";
        private String completed = "completed";
        private String failed = "failed";

        private Builder(String name) {
            this.name = name;
        }

        /** Declares a working state; the first declared is the initial state. */
        public Builder state(String state) {
            if (initial == null) {
                initial = state;
            }
            states.add(state);
            return this;
        }

        public Builder on(String from, String outcome, String to) {
            if (FAILED.equals(outcome)) {
                throw new IllegalArgumentException("'" + FAILED + "' edges are implicit");
            }
            transitions.add(new Transition(from, outcome, to));
            return this;
        }

        public Builder recovery(String state) {
            this.recovery = state;
            return this;
        }

        public Builder terminals(String completedState, String failedState) {
            this.completed = completedState;
            this.failed = failedState;
            return this;
        }

        public TransitionTable build() {
            return new TransitionTable(this);
        }
    }
}
