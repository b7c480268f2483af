package dev.easel.packs.domain;

import java.util.regex.Pattern;

/**
 * Regular expressions from packs and profiles run on Java's backtracking engine, which, unlike the
 * RE2 engine Palette uses, can take exponential time on some patterns. Every match here runs on a
 * character sequence that counts its reads and gives up past a budget, so a hostile pattern or
 * value costs milliseconds and is reported instead of holding a request thread.
 */
final class Regexes {

  /** Character reads per match; linear patterns over a 1 MiB value stay far below it. */
  static final int MAX_READS = 20_000_000;

  enum Outcome {
    MATCH,
    NO_MATCH,
    TOO_COMPLEX
  }

  private Regexes() {}

  /** Whether the whole text matches. */
  static Outcome matches(Pattern pattern, String text) {
    return run(pattern, text, true);
  }

  /** Whether some part of the text matches, as Go's {@code regexp.MatchString} does. */
  static Outcome finds(Pattern pattern, String text) {
    return run(pattern, text, false);
  }

  private static Outcome run(Pattern pattern, String text, boolean whole) {
    Budgeted input = new Budgeted(text, new int[] {0}, 0, text.length());
    try {
      java.util.regex.Matcher m = pattern.matcher(input);
      return (whole ? m.matches() : m.find()) ? Outcome.MATCH : Outcome.NO_MATCH;
    } catch (Exhausted | StackOverflowError e) {
      return Outcome.TOO_COMPLEX;
    }
  }

  private static final class Exhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exhausted() {
      super(null, null, false, false);
    }
  }

  private static final class Budgeted implements CharSequence {
    private final String text;
    private final int[] reads;
    private final int start;
    private final int end;

    Budgeted(String text, int[] reads, int start, int end) {
      this.text = text;
      this.reads = reads;
      this.start = start;
      this.end = end;
    }

    @Override
    public int length() {
      return end - start;
    }

    @Override
    public char charAt(int index) {
      if (++reads[0] > MAX_READS) {
        throw new Exhausted();
      }
      return text.charAt(start + index);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
      return new Budgeted(text, reads, start + from, start + to);
    }

    @Override
    public String toString() {
      return text.substring(start, end);
    }
  }
}
