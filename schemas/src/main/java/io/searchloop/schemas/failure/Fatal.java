package io.searchloop.schemas.failure;

import org.slf4j.LoggerFactory;

/**
 * What a service thread does when it cannot go on: by default end the process (status 70) so its
 * supervisor — compose, Kubernetes, systemd — restarts it, instead of idling with a dead loop while
 * the JVM looks healthy. Tests pass their own to observe the decision.
 */
@FunctionalInterface
public interface Fatal {
    int EXIT_STATUS = 70; // EX_SOFTWARE

    void stop(String who, Throwable cause);

    /**
     * Logs and exits the JVM from a fresh thread, so the caller can finish its own clean-up while
     * shutdown hooks run.
     */
    Fatal EXIT_PROCESS =
            (who, cause) -> {
                LoggerFactory.getLogger(Fatal.class)
                        .error(
                                "{} cannot continue; exiting the process (status {}) so its supervisor restarts it",
                                who,
                                EXIT_STATUS,
                                cause);
                Thread exit = new Thread(() -> System.exit(EXIT_STATUS), "fatal-exit");
                exit.start();
            };
}
