package dev.easel.compliance.domain.schedule;

/**
 * One reason a schedule cannot be accepted, pinned to the request field that causes it.
 *
 * @param field {@code preset}, {@code cron}, {@code timeZone} or {@code options.<name>}
 * @param code a short kebab-case code a client can switch on, such as {@code invalid-cron}
 * @param message what is wrong, in words a person can act on
 */
public record ScheduleProblem(String field, String code, String message) {}
