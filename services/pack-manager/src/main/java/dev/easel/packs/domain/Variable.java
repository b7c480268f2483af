package dev.easel.packs.domain;

import java.util.List;
import java.util.Optional;

/**
 * A profile variable, referenced from layer values and manifests as {@code {{.spectro.var.NAME}}}
 * and given a value when a cluster is deployed.
 *
 * @param format {@code string} (when null), {@code number}, {@code boolean}, {@code ipv4}, {@code
 *     ipv4cidr}, {@code ipv6}, {@code version} or {@code base64}
 * @param regex a further check on the value, matched anywhere in it unless anchored with {@code
 *     ^...$}, as Go's {@code regexp.MatchString} does; Palette evaluates it with Go's RE2, Easel
 *     with {@link java.util.regex.Pattern}, so keep to the syntax both share
 * @param hidden not shown when deploying; needs a default when also required
 * @param immutable read-only: the default is the value and needs to be set
 * @param sensitive masked wherever the value is shown or exported
 * @param options when given, the value is one of these (a drop-down)
 */
public record Variable(
    String name,
    String displayName,
    String description,
    String format,
    boolean required,
    String defaultValue,
    String regex,
    boolean hidden,
    boolean immutable,
    boolean sensitive,
    List<Option> options) {

  /** The formats a variable may declare. */
  public static final List<String> FORMATS =
      List.of("string", "number", "boolean", "ipv4", "ipv4cidr", "ipv6", "version", "base64");

  public Variable {
    options = Copies.list(options);
  }

  /** A plain optional string variable with a default. */
  public static Variable of(String name, String defaultValue) {
    return new Variable(
        name, null, null, null, false, defaultValue, null, false, false, false, List.of());
  }

  /** The declared format, {@code string} when none is given. */
  public String formatOrString() {
    return format == null ? "string" : format;
  }

  /**
   * The value used when none is given: the default value, else the option marked default. Blank
   * defaults count as none.
   */
  public Optional<String> effectiveDefault() {
    if (defaultValue != null && !defaultValue.isEmpty()) {
      return Optional.of(defaultValue);
    }
    for (Option o : options) {
      if (o != null && o.isDefault() && o.value() != null) {
        return Optional.of(o.value());
      }
    }
    return Optional.empty();
  }

  /** One choice of a drop-down variable. */
  public record Option(String value, String label, String description, boolean isDefault) {}
}
