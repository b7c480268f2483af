package dev.easel.clusters.adapters.in.web;

import dev.easel.common.web.BodyLimitFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Request body limits: a cluster request (its SSH keys and CA certificate included) fits in 256
 * KiB; anything else in 64 KiB.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ClusterBodyLimits extends BodyLimitFilter {

  static final int CLUSTER = 256 * 1024;
  static final int DEFAULT = 64 * 1024;

  ClusterBodyLimits() {
    super(Problems.BASE);
  }

  @Override
  protected Limit limitFor(HttpServletRequest request) {
    if (request.getRequestURI().startsWith("/api/v1/clusters")) {
      return new Limit(CLUSTER, "cluster-request-too-large");
    }
    return new Limit(DEFAULT, "payload-too-large");
  }
}
