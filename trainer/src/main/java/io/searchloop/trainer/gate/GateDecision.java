package io.searchloop.trainer.gate;

/** Whether a candidate is promoted, and why (recorded with the version and sent with its event). */
public record GateDecision(boolean promote, String reason) {}
