package dev.easel.gateway.adapters.in.console;

import java.util.List;

/** Where the console's pages are: each is open to any signed-in operator, and no other path. */
public final class ConsolePaths {

  private ConsolePaths() {}

  public static final List<String> PAGES =
      List.of(
          "/",
          "/nodes/**",
          "/tokens/**",
          "/plans/**",
          "/clusters/**",
          "/packs/**",
          "/profiles/**",
          "/compliance/**",
          "/scans/**",
          "/audit/**",
          "/live",
          "/password",
          "/logout");

  private static final List<String> PREFIXES =
      List.of(
          "/nodes",
          "/tokens",
          "/plans",
          "/clusters",
          "/packs",
          "/profiles",
          "/compliance",
          "/scans",
          "/audit");

  /** Whether a request path is a console page (for redirects rather than problems). */
  public static boolean isPage(String uri) {
    if (uri.equals("/")
        || uri.equals("/live")
        || uri.equals("/password")
        || uri.equals("/logout")) {
      return true;
    }
    for (String p : PREFIXES) {
      if (uri.equals(p) || uri.startsWith(p + "/")) {
        return true;
      }
    }
    return false;
  }

  /** Paths open to a session whose password must be changed first. */
  public static boolean openBeforePasswordChange(String uri) {
    return uri.equals("/password")
        || uri.equals("/logout")
        || uri.equals("/login")
        || uri.startsWith("/assets/")
        || uri.startsWith("/webjars/");
  }
}
