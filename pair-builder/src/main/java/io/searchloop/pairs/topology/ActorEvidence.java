package io.searchloop.pairs.topology;

import io.searchloop.pairs.scoring.Evidence;

/**
 * Evidence released by the session guard, with the actor (session or request) it came from, for
 * burst detection.
 */
record ActorEvidence(String actor, Evidence evidence) {}
