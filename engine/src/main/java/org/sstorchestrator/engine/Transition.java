package org.sstorchestrator.engine;

/** An edge of a transition table: in state {@code from}, outcome {@code on} leads to {@code to}. */
public record Transition(String from, String on, String to) {
}
