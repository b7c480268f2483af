package dev.easel.contracts.gateway;

import dev.easel.contracts.Contract;
import java.time.Instant;

/**
 * One request through the gateway that changed something or was refused: the operator trail. The
 * body of the request is never included.
 *
 * @param actor who made it: a user's name, {@code token:<name>} for an API token, or {@code
 *     anonymous} when it carried no valid credentials
 * @param method the HTTP method
 * @param route the route's pattern, such as {@code /api/v1/clusters/{id}}, or the path when no
 *     route matched
 * @param resource the path as requested, without its query
 * @param status the HTTP status answered
 * @param requestId the id the gateway gave the request, also in the services' logs
 * @param address the client's address
 */
@Contract(
    value = "dev.easel.gateway.OperatorRequestRecorded.v1",
    kind = Contract.Kind.EVENT,
    description = "A mutating or refused request through the gateway: who, what, and the answer.")
public record OperatorRequestRecorded(
    String actor,
    String method,
    String route,
    String resource,
    int status,
    String requestId,
    String address,
    Instant at) {}
