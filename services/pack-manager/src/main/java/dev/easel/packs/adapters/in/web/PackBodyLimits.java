package dev.easel.packs.adapters.in.web;

import dev.easel.common.web.BodyLimitFilter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Request body limits: bundle uploads are bounded by the upload use case (a bundle limit, the
 * spool); a profile (JSON or an imported YAML document) by 1 MiB; anything else by 256 KiB.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class PackBodyLimits extends BodyLimitFilter {

  static final int PROFILE = 1 << 20;
  static final int DEFAULT = 256 * 1024;

  PackBodyLimits() {
    super(Problems.BASE);
  }

  @Override
  protected Limit limitFor(HttpServletRequest request) {
    String path = request.getRequestURI();
    if (path.startsWith("/api/v1/registries/") && path.endsWith("/bundles")) {
      return null;
    }
    if (path.startsWith("/api/v1/profiles")) {
      return new Limit(PROFILE, "profile-too-large");
    }
    return new Limit(DEFAULT, "payload-too-large");
  }
}
