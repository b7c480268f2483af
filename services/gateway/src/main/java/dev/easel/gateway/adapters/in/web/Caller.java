package dev.easel.gateway.adapters.in.web;

import dev.easel.contracts.api.Role;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who a request is from, as the gateway tells services: a subject and one role.
 *
 * @param subject an operator's name, or {@code token:<name>}
 * @param mustChangePassword whether only the password change is open to them
 */
public record Caller(String subject, Role role, boolean mustChangePassword)
    implements Serializable {

  /** The authority that marks a session whose password must be changed first. */
  static final String PASSWORD_CHANGE = "PASSWORD_CHANGE_REQUIRED";

  /** The Spring Security authorities: the role and every role it grants. */
  static List<GrantedAuthority> authorities(Role role, boolean mustChangePassword) {
    List<GrantedAuthority> out = new ArrayList<>();
    for (Role r : Role.values()) {
      if (role.grants(r)) {
        out.add(new SimpleGrantedAuthority("ROLE_" + r.name()));
      }
    }
    if (mustChangePassword) {
      out.add(new SimpleGrantedAuthority(PASSWORD_CHANGE));
    }
    return out;
  }

  /** The caller of the current request, if it is authenticated. */
  public static Optional<Caller> current() {
    return of(SecurityContextHolder.getContext().getAuthentication());
  }

  static Optional<Caller> of(Authentication auth) {
    if (auth == null || !auth.isAuthenticated()) {
      return Optional.empty();
    }
    if (auth.getPrincipal() instanceof Caller c) {
      return Optional.of(c);
    }
    Role best = null;
    boolean change = false;
    for (GrantedAuthority a : auth.getAuthorities()) {
      String name = a.getAuthority();
      if (PASSWORD_CHANGE.equals(name)) {
        change = true;
      } else if (name != null && name.startsWith("ROLE_")) {
        Optional<Role> r = Role.of(name.substring(5));
        if (r.isPresent() && (best == null || r.get().grants(best))) {
          best = r.get();
        }
      }
    }
    return best == null ? Optional.empty() : Optional.of(new Caller(auth.getName(), best, change));
  }
}
