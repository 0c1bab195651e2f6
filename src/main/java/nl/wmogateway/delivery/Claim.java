package nl.wmogateway.delivery;

/**
 * The right to make one delivery attempt: the job's lease is held by {@code owner} until it is
 * finished, renewed while the attempt runs.
 *
 * @param jobId   the job (the request id for a plan, the message id for a message)
 * @param attempt the number of this attempt, counted in the database across restarts and instances
 * @param owner   this gateway run, as written in the lease
 */
public record Claim(String jobId, int attempt, String owner) {}
