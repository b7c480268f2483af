package dev.easel.audit.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The audit log's hash chain. A record's hash is {@code SHA-256(prevHash ‖ canonical record)}, and
 * its canonical form holds every field but the data itself, which it holds by its SHA-256. Each
 * field is written with its length first, so no two records share a canonical form. Changing,
 * removing or inserting any record breaks every hash after it.
 */
public final class HashChain {

  /** The hash before the first record: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);

  private HashChain() {}

  /** Chains events after a head ({@code seq}, {@code hash}); the head of an empty chain is 0. */
  public static List<AuditRecord> append(long headSeq, String headHash, List<AuditEvent> events) {
    List<AuditRecord> out = new ArrayList<>(events.size());
    long seq = headSeq;
    String prev = headHash == null ? GENESIS : headHash;
    for (AuditEvent e : events) {
      seq++;
      String dataHash = sha256(e.data());
      String hash = hash(seq, e, dataHash, prev);
      out.add(
          new AuditRecord(
              seq,
              e.eventId(),
              e.type(),
              e.source(),
              e.subject(),
              e.actor(),
              e.time(),
              e.topic(),
              e.data(),
              dataHash,
              prev,
              hash));
      prev = hash;
    }
    return out;
  }

  /** What verification found: ok, or the first broken record and why. */
  public record Verdict(boolean ok, long checked, Long brokenSeq, String reason) {

    public static Verdict ok(long checked) {
      return new Verdict(true, checked, null, null);
    }

    public static Verdict broken(long checked, long seq, String reason) {
      return new Verdict(false, checked, seq, reason);
    }
  }

  /**
   * Checks records in order. {@code expectedPrev} is the hash the first must follow (the previous
   * record's, or {@link #GENESIS} from the start), {@code expectedSeq} its seq.
   *
   * @return the first problem, or empty when they all hold
   */
  public static Optional<Verdict> check(
      AuditRecord r, long expectedSeq, String expectedPrev, long checkedBefore) {
    if (r.seq() != expectedSeq) {
      return Optional.of(
          Verdict.broken(
              checkedBefore,
              expectedSeq,
              "record " + expectedSeq + " is missing; the next is " + r.seq()));
    }
    if (!r.prevHash().equals(expectedPrev)) {
      return Optional.of(
          Verdict.broken(
              checkedBefore, r.seq(), "its prevHash is not the hash of record " + (r.seq() - 1)));
    }
    if (!sha256(r.data()).equals(r.dataHash())) {
      return Optional.of(
          Verdict.broken(checkedBefore, r.seq(), "its data does not match its dataHash"));
    }
    AuditEvent e =
        new AuditEvent(
            r.eventId(),
            r.type(),
            r.source(),
            r.subject(),
            r.actor(),
            r.time(),
            r.topic(),
            r.data());
    if (!hash(r.seq(), e, r.dataHash(), r.prevHash()).equals(r.hash())) {
      return Optional.of(
          Verdict.broken(checkedBefore, r.seq(), "its hash does not match its contents"));
    }
    return Optional.empty();
  }

  static String hash(long seq, AuditEvent e, String dataHash, String prev) {
    MessageDigest d = digest();
    d.update(prev.getBytes(StandardCharsets.US_ASCII));
    d.update(canonical(seq, e, dataHash));
    return HexFormat.of().formatHex(d.digest());
  }

  /** seq, event id, type, source, subject, actor, time (epoch nanos), topic, dataHash. */
  static byte[] canonical(long seq, AuditEvent e, String dataHash) {
    // Arrays.asList, not List.of: a missing field is a null, and is hashed as one.
    List<byte[]> fields =
        java.util.Arrays.asList(
            Long.toString(seq).getBytes(StandardCharsets.UTF_8),
            bytes(e.eventId()),
            bytes(e.type()),
            bytes(e.source()),
            bytes(e.subject()),
            bytes(e.actor()),
            bytes(
                e.time() == null
                    ? null
                    : e.time().getEpochSecond() + "." + String.format("%09d", e.time().getNano())),
            bytes(e.topic()),
            bytes(dataHash));
    int size = 0;
    for (byte[] f : fields) {
      size += 4 + (f == null ? 0 : f.length);
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    for (byte[] f : fields) {
      // -1 tells a missing field from an empty one.
      b.putInt(f == null ? -1 : f.length);
      if (f != null) {
        b.put(f);
      }
    }
    return b.array();
  }

  public static String sha256(byte[] data) {
    return HexFormat.of().formatHex(digest().digest(data));
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
