package dev.easel.compliance.adapters.in.web;

import dev.easel.common.web.BodyLimitFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Requests are small: a scan's options, a schedule, a backup location. Anything larger is refused
 * unread.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class ComplianceBodyLimits extends BodyLimitFilter {

  static final int LIMIT = 16 * 1024;

  ComplianceBodyLimits() {
    super(Problems.BASE);
  }

  /** A backup location may carry CA certificates (64 KiB) and a service account's key. */
  static final int LOCATION_LIMIT = 96 * 1024;

  @Override
  protected Limit limitFor(HttpServletRequest request) {
    return new Limit(
        request.getRequestURI().startsWith("/api/v1/backup-locations") ? LOCATION_LIMIT : LIMIT,
        "payload-too-large");
  }
}
