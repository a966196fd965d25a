package org.sstorchestrator.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One role's machine, declared once: each stage with its name, its class, its way forward,
 * what it needs from earlier stages and gives to later ones, and whether a resumed run may
 * enter it. From that one declaration come the transition table (and so the generated
 * diagram), the stage instances, the resume rule, and the lists the tests iterate over:
 * adding a stage is one {@code stage(...)} line and its class.
 *
 * <p>{@link #build()} checks the declaration: every state has a stage, and every fact a stage
 * needs is given on every path that reaches it.
 */
public final class Machine<C> {

    /** One declared stage. */
    public record Decl<C>(String name, Supplier<? extends Stage<C>> factory, Reentry reentry, Set<Class<?>> needs,
                          Set<Class<?>> gives) {
    }

    private final TransitionTable table;
    private final Map<String, Decl<C>> decls;

    private Machine(TransitionTable table, Map<String, Decl<C>> decls) {
        this.table = table;
        this.decls = decls;
    }

    public static <C> Builder<C> builder(String name) {
        return new Builder<>(name);
    }

    public String name() {
        return table.name();
    }

    public TransitionTable table() {
        return table;
    }

    /** Fresh stage instances, one per state (the recovery stage included). */
    public Map<String, Stage<C>> stages() {
        Map<String, Stage<C>> out = new LinkedHashMap<>();
        decls.forEach((name, d) -> out.put(name, d.factory().get()));
        return out;
    }

    /** The working states in the order they were declared (not the recovery state, not the terminals). */
    public List<String> workingStates() {
        return decls.keySet().stream().filter(s -> !s.equals(table.recoveryState())).toList();
    }

    public Decl<C> decl(String stage) {
        Decl<C> d = decls.get(stage);
        if (d == null) {
            throw new IllegalArgumentException(table.name() + " has no stage " + stage);
        }
        return d;
    }

    /** Where a resumed run goes in; or the stage that stops it, and why ({@code LIVE_ONLY} or {@code ONCE}). */
    public record Resume(Optional<String> stage, String blockedAt, Reentry blockedBy) {
    }

    /**
     * The resume rule, from the stages' own declarations: a run whose process died continues at
     * its first stage not completed, provided that every stage from there to the end of the
     * usual path may be entered without the original process ({@link Reentry}), and that no
     * stage that cannot run twice ({@link Reentry#ONCE}) had already begun.
     */
    public Resume resumeFrom(List<String> completed, List<String> started) {
        for (String s : started) {
            if (decls.containsKey(s) && decls.get(s).reentry() == Reentry.ONCE) {
                return new Resume(Optional.empty(), s, Reentry.ONCE);
            }
        }
        String first = firstIncomplete(completed);
        if (first == null) {
            return new Resume(Optional.empty(), null, null);
        }
        for (String s = first; s != null && !table.isTerminal(s); s = table.next(s, Stage.OK).orElse(null)) {
            if (decls.get(s).reentry() == Reentry.LIVE_ONLY) {
                return new Resume(Optional.empty(), s, Reentry.LIVE_ONLY);
            }
        }
        return new Resume(Optional.of(first), null, null);
    }

    /** Whether a run that completed and started these stages may be resumed: {@link #resumeFrom} names a stage. */
    public boolean resumable(List<String> completed, List<String> started) {
        return resumeFrom(completed, started).stage().isPresent();
    }

    /** Whether any of {@code stages} (as a history names them) is declared to give {@code fact}. */
    public boolean anyGives(Collection<String> stages, Class<?> fact) {
        return stages.stream().anyMatch(s -> decls.containsKey(s) && decls.get(s).gives().contains(fact));
    }

    /** The first stage on the usual path that did not complete, or null when the run reached the end. */
    private String firstIncomplete(List<String> completed) {
        String s = table.initial();
        while (s != null && !table.isTerminal(s) && completed.contains(s)) {
            s = table.next(s, Stage.OK).orElse(null);
        }
        return s == null || table.isTerminal(s) ? null : s;
    }

    /** What a run entering at {@code stage} must be given from outside: what the stages from there on need and no earlier one of them gives. */
    public Set<Class<?>> neededFrom(String stage) {
        Set<Class<?>> given = new HashSet<>();
        Set<Class<?>> needed = new LinkedHashSet<>();
        for (String s = stage; s != null && !table.isTerminal(s); s = table.next(s, Stage.OK).orElse(null)) {
            for (Class<?> n : decls.get(s).needs()) {
                if (!given.contains(n)) {
                    needed.add(n);
                }
            }
            given.addAll(decls.get(s).gives());
        }
        return needed;
    }

    public static final class Builder<C> {
        private final TransitionTable.Builder table;
        private final String name;
        private final Map<String, Decl<C>> decls = new LinkedHashMap<>();
        private String recovery;

        private Builder(String name) {
            this.name = name;
            this.table = TransitionTable.builder(name);
        }

        /** Declares the next working state (the first one declared is the initial state). */
        public StageBuilder stage(String stage, Supplier<? extends Stage<C>> factory, Reentry reentry) {
            return new StageBuilder(stage, factory, reentry);
        }

        /** The recovery stage every failing stage goes to (it must clean up whatever exists, so it needs nothing). */
        public Builder<C> recovery(String stage, Supplier<? extends Stage<C>> factory) {
            this.recovery = stage;
            table.recovery(stage);
            decls.put(stage, new Decl<>(stage, factory, Reentry.REPEATABLE, Set.of(), Set.of()));
            return this;
        }

        public Machine<C> build() {
            if (recovery == null) {
                throw new IllegalArgumentException(name + ": no recovery stage declared");
            }
            TransitionTable t = table.build();
            checkFacts(t);
            return new Machine<>(t, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(decls)));
        }

        /** Every fact a stage needs is given on every path from the initial state to it (a fixed point). */
        private void checkFacts(TransitionTable t) {
            Map<String, Set<Class<?>>> available = new HashMap<>();
            available.put(t.initial(), new HashSet<>());
            boolean changed = true;
            while (changed) {
                changed = false;
                for (Transition tr : t.transitions()) {
                    if (tr.on().equals(TransitionTable.FAILED) || t.isTerminal(tr.to()) || !available.containsKey(tr.from())
                            || !decls.containsKey(tr.to())) {
                        continue;
                    }
                    Set<Class<?>> out = new HashSet<>(available.get(tr.from()));
                    out.addAll(decls.get(tr.from()).gives());
                    Set<Class<?>> in = available.get(tr.to());
                    Set<Class<?>> meet = in == null ? out : intersection(in, out);
                    if (!meet.equals(in)) {
                        available.put(tr.to(), meet);
                        changed = true;
                    }
                }
            }
            for (Decl<C> d : decls.values()) {
                Set<Class<?>> have = available.getOrDefault(d.name(), Set.of());
                for (Class<?> need : d.needs()) {
                    if (!have.contains(need)) {
                        throw new IllegalArgumentException(name + ": stage " + d.name() + " needs " + need.getSimpleName()
                                + ", which no stage before it gives on every path");
                    }
                }
            }
        }

        private static Set<Class<?>> intersection(Set<Class<?>> a, Set<Class<?>> b) {
            Set<Class<?>> out = new HashSet<>(a);
            out.retainAll(b);
            return out;
        }

        /** The declaration of one stage: its way forward, its needs and its gives. */
        public final class StageBuilder {
            private final String stage;
            private final Supplier<? extends Stage<C>> factory;
            private final Reentry reentry;
            private final Set<Class<?>> needs = new LinkedHashSet<>();
            private final Set<Class<?>> gives = new LinkedHashSet<>();
            private final List<String[]> edges = new ArrayList<>();

            private StageBuilder(String stage, Supplier<? extends Stage<C>> factory, Reentry reentry) {
                this.stage = stage;
                this.factory = factory;
                this.reentry = reentry;
            }

            /** The usual way forward: outcome {@link Stage#OK}. */
            public StageBuilder next(String to) {
                return on(Stage.OK, to);
            }

            /** A branch: the stage returned {@code outcome}. */
            public StageBuilder on(String outcome, String to) {
                edges.add(new String[] {outcome, to});
                return this;
            }

            public StageBuilder needs(Class<?>... facts) {
                needs.addAll(List.of(facts));
                return this;
            }

            public StageBuilder gives(Class<?>... facts) {
                gives.addAll(List.of(facts));
                return this;
            }

            /** Ends this stage's declaration and starts the next one's. */
            public StageBuilder stage(String next, Supplier<? extends Stage<C>> nextFactory, Reentry nextReentry) {
                done();
                return Builder.this.stage(next, nextFactory, nextReentry);
            }

            public Builder<C> recovery(String name, Supplier<? extends Stage<C>> recoveryFactory) {
                done();
                return Builder.this.recovery(name, recoveryFactory);
            }

            private void done() {
                if (decls.containsKey(stage)) {
                    throw new IllegalArgumentException(name + ": stage " + stage + " is declared twice");
                }
                table.state(stage);
                for (String[] e : edges) {
                    table.on(stage, e[0], e[1]);
                }
                decls.put(stage, new Decl<>(stage, factory, reentry, Set.copyOf(needs), Set.copyOf(gives)));
            }
        }
    }
}
