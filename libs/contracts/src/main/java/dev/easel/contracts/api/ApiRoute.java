package dev.easel.contracts.api;

/**
 * One operation of the public API.
 *
 * @param service the context that serves it: {@code nodes}, {@code packs}, {@code clusters}, {@code
 *     audit} or {@code gateway}
 * @param method the HTTP method
 * @param pattern the path, with {@code {name}} for a variable segment
 * @param role the least role that may call it
 * @param summary what it does, for the README's table
 */
public record ApiRoute(String service, String method, String pattern, Role role, String summary) {

  /** The resource the route is under: its first three segments, {@code /api/v1/<resource>}. */
  public String resource() {
    String[] s = pattern.split("/");
    return "/" + s[1] + "/" + s[2] + "/" + s[3];
  }
}
