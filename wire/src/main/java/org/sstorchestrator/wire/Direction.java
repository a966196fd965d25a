package org.sstorchestrator.wire;

/** Which way a transfer's data goes: this node sends it, or receives it. */
public enum Direction { SEND, RECEIVE }
