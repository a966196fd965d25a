package org.sstorchestrator.engine;

import java.util.HashSet;
import java.util.List;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.statemachine.StateMachine;
import org.springframework.statemachine.StateMachineEventResult;
import org.springframework.statemachine.config.StateMachineBuilder;
import org.springframework.statemachine.config.builders.StateMachineTransitionConfigurer;
import reactor.core.publisher.Mono;

/**
 * Drives a {@link TransitionTable} with Spring Statemachine. Only transitions are delegated:
 * no actions, no persister. Spring's persister writes the target state before the target's
 * work runs and its entry actions swallow exceptions, so stage work and checkpoints stay in
 * {@link StageRunner} and our own journal.
 */
public final class SpringStatemachineDriver implements TransitionDriver {

    public static final Factory FACTORY = SpringStatemachineDriver::new;

    private final TransitionTable table;
    private StateMachine<String, String> machine;

    public SpringStatemachineDriver(TransitionTable table) {
        this.table = table;
    }

    @Override
    public void start(String state) {
        if (!table.states().contains(state)) {
            throw new IllegalArgumentException(table.name() + " has no state " + state);
        }
        machine = build(state);
        machine.startReactively().block();
    }

    private StateMachine<String, String> build(String initial) {
        try {
            StateMachineBuilder.Builder<String, String> builder = StateMachineBuilder.builder();
            builder.configureConfiguration().withConfiguration().autoStartup(false);
            builder.configureStates().withStates()
                    .initial(initial)
                    .states(new HashSet<>(table.states()))
                    .end(table.completedState())
                    .end(table.failedState());
            StateMachineTransitionConfigurer<String, String> edges = builder.configureTransitions();
            for (Transition t : table.transitions()) {
                edges.withExternal().source(t.from()).target(t.to()).event(t.on());
            }
            return builder.build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build the state machine for " + table.name(), e);
        }
    }

    @Override
    public String fire(String event) {
        String from = current();
        List<StateMachineEventResult<String, String>> results = machine
                .sendEvent(Mono.just(MessageBuilder.withPayload(event).build()))
                .collectList().block();
        boolean accepted = results != null && results.stream()
                .anyMatch(r -> r.getResultType() == StateMachineEventResult.ResultType.ACCEPTED);
        if (!accepted) {
            throw new IllegalStateException(table.name() + ": no transition from " + from + " on " + event);
        }
        return current();
    }

    @Override
    public String current() {
        return machine.getState().getId();
    }

    @Override
    public void close() {
        if (machine != null) {
            machine.stopReactively().block();
        }
    }
}
