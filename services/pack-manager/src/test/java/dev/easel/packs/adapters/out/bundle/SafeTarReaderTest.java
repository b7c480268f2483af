package dev.easel.packs.adapters.out.bundle;

import static dev.easel.packs.adapters.out.bundle.TestArchives.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.easel.packs.adapters.out.bundle.SafeTarReader.Compression;
import dev.easel.packs.adapters.out.bundle.SafeTarReader.Entry;
import dev.easel.packs.adapters.out.bundle.SafeTarReader.Kind;
import dev.easel.packs.adapters.out.bundle.SafeTarReader.Links;
import dev.easel.packs.adapters.out.bundle.TestArchives.CountingStream;
import dev.easel.packs.adapters.out.bundle.TestArchives.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class SafeTarReaderTest {

  private static final ArchiveLimits DEFAULTS = ArchiveLimits.defaults();

  @Test
  void readsFilesDirectoriesAndLinksThatStayInside() throws IOException {
    byte[] archive =
        new TarBuilder()
            .dir("./")
            .dir("./pack/")
            .file("./pack/pack.json", "{}")
            .dir("./pack/charts")
            .file("./pack/charts/a.tgz", "chart")
            .symlink("./pack/charts/current.tgz", "a.tgz")
            .symlink("./pack/readme", "../pack/charts/../pack.json")
            .hardlink("./pack/copy.json", "./pack/pack.json")
            .gzip();

    List<Entry> entries = readAll(archive, Compression.GZIP, Links.INSIDE_ROOT);

    assertThat(entries)
        .containsExactly(
            new Entry("pack", Kind.DIRECTORY, 0, null),
            new Entry("pack/pack.json", Kind.FILE, 2, null),
            new Entry("pack/charts", Kind.DIRECTORY, 0, null),
            new Entry("pack/charts/a.tgz", Kind.FILE, 5, null),
            new Entry("pack/charts/current.tgz", Kind.SYMLINK, 0, "a.tgz"),
            new Entry("pack/readme", Kind.SYMLINK, 0, "../pack/charts/../pack.json"),
            new Entry("pack/copy.json", Kind.HARDLINK, 0, "pack/pack.json"));
  }

  @Test
  void givesEachFilesContent() throws IOException {
    byte[] archive = new TarBuilder().file("a", "alpha").file("b", "beta").file("c", "").gzip();
    List<String> contents = new ArrayList<>();

    try (SafeTarReader tar = open(archive, Compression.GZIP, Links.REFUSE)) {
      for (Entry e = tar.next(); e != null; e = tar.next()) {
        contents.add(new String(tar.content().readAllBytes(), StandardCharsets.UTF_8));
      }
      assertThat(tar.entryCount()).isEqualTo(3);
      assertThat(tar.fileBytes()).isEqualTo(9);
    }

    assertThat(contents).containsExactly("alpha", "beta", "");
  }

  @Test
  void readsGnuLongNamesPaxNamesAndZstd() throws IOException {
    String longName = "pack/" + "d".repeat(120) + "/values.yaml";
    String unicode = "pack/README-\u00e9t\u00e9-\u65e5\u672c.md";
    byte[] gnu = new TarBuilder(TarArchiveOutputStream.LONGFILE_GNU).file(longName, "x").gzip();
    byte[] pax = new TarBuilder().file(longName, "x").file(unicode, "y").zstd();

    assertThat(readAll(gnu, Compression.GZIP, Links.REFUSE))
        .extracting(Entry::path)
        .containsExactly(longName);
    assertThat(readAll(pax, Compression.ZSTD, Links.REFUSE))
        .extracting(Entry::path)
        .containsExactly(longName, unicode);
  }

  @Test
  void refusesPathsThatClimbOut() {
    for (String name : List.of("../evil", "pack/../../evil", "pack/..", "./../evil")) {
      BundleRefused r = refusal(() -> readGzip(new TarBuilder().file(name, "x").gzip()));
      assertThat(r.type()).as(name).isEqualTo("unsafe-path");
      assertThat(r.problems().get(0)).contains("'..'");
    }
  }

  @Test
  void refusesAbsolutePaths() {
    BundleRefused r = refusal(() -> readGzip(new TarBuilder().file("/etc/passwd", "x").gzip()));

    assertThat(r.type()).isEqualTo("unsafe-path");
    assertThat(r.getMessage()).isEqualTo("entry '/etc/passwd' has an absolute path");
  }

  @Test
  void refusesBackslashesNulAndControlCharacters() {
    String withNul = "pack/" + "n".repeat(120) + "\u0000/../../etc/passwd";
    for (String name : List.of("pack\\..\\evil", withNul, "pack/new\nline")) {
      BundleRefused r = refusal(() -> readGzip(new TarBuilder().file(name, "x").gzip()));
      assertThat(r.type()).as(name).isEqualTo("unsafe-path");
      assertThat(r.getMessage()).doesNotContain("\u0000").doesNotContain("\n");
    }
  }

  @Test
  void refusesNamesOver255Bytes() throws IOException {
    String ok = "a/" + "b".repeat(253);
    String tooLong = "a/" + "b".repeat(254);

    assertThat(readGzip(new TarBuilder().file(ok, "x").gzip())).hasSize(1);
    BundleRefused r = refusal(() -> readGzip(new TarBuilder().file(tooLong, "x").gzip()));
    assertThat(r.type()).isEqualTo("unsafe-path");
  }

  @Test
  void refusesExtendedHeadersTooLargeToHoldInMemory() {
    // Written by hand: commons-compress takes seconds to encode a 70 kB name itself.
    byte[] record = ("70011 path=" + "h".repeat(69_999) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] pax =
        new TarBuilder()
            .raw("PaxHeaders/big", TarArchiveEntry.LF_PAX_EXTENDED_HEADER_LC, record)
            .file("big", "x")
            .gzip();
    byte[] gnu =
        new TarBuilder()
            .raw("././@LongLink", TarArchiveEntry.LF_GNUTYPE_LONGNAME, new byte[70_000])
            .file("big", "x")
            .gzip();

    BundleRefused paxRefusal = refusal(() -> readGzip(pax));
    BundleRefused gnuRefusal = refusal(() -> readGzip(gnu));

    assertThat(paxRefusal.type()).isEqualTo("too-large");
    assertThat(gnuRefusal.type()).isEqualTo("too-large");
    assertThat(gnuRefusal.getMessage())
        .isEqualTo("an extended tar header of 70000 bytes is larger than the 65536 bytes allowed");
  }

  @Test
  void refusesSymlinksThatEscapeTheRoot() {
    for (String target : List.of("../../etc/passwd", "/etc/passwd", "../../../", "a/../../..")) {
      byte[] archive = new TarBuilder().dir("pack").symlink("pack/link", target).gzip();
      BundleRefused r = refusal(() -> readAll(archive, Compression.GZIP, Links.INSIDE_ROOT));
      assertThat(r.type()).as(target).isEqualTo("unsafe-link");
    }
  }

  @Test
  void refusesHardlinksThatEscapeOrNameNoEarlierFile() {
    byte[] escaping = new TarBuilder().hardlink("pack/passwd", "../etc/passwd").gzip();
    byte[] absolute = new TarBuilder().hardlink("pack/passwd", "/etc/passwd").gzip();
    byte[] outsideFile = new TarBuilder().hardlink("pack/hosts", "etc/hosts").gzip();
    byte[] laterFile =
        new TarBuilder().hardlink("pack/copy", "pack/real").file("pack/real", "x").gzip();

    for (byte[] archive : List.of(escaping, absolute, outsideFile, laterFile)) {
      BundleRefused r = refusal(() -> readAll(archive, Compression.GZIP, Links.INSIDE_ROOT));
      assertThat(r.type()).isEqualTo("unsafe-link");
    }
  }

  @Test
  void refusesEveryLinkWhereLinksAreNotAllowed() {
    byte[] symlink = new TarBuilder().file("a", "x").symlink("b", "a").gzip();
    byte[] hardlink = new TarBuilder().file("a", "x").hardlink("b", "a").gzip();

    assertThat(refusal(() -> readGzip(symlink)).type()).isEqualTo("unsafe-link");
    assertThat(refusal(() -> readGzip(hardlink)).type()).isEqualTo("unsafe-link");
  }

  @Test
  void refusesDevicesFifosSparseFilesAndUnknownTypes() {
    byte[][] archives = {
      new TarBuilder().special("dev/tty", TarArchiveEntry.LF_CHR).gzip(),
      new TarBuilder().special("dev/sda", TarArchiveEntry.LF_BLK).gzip(),
      new TarBuilder().special("pipe", TarArchiveEntry.LF_FIFO).gzip(),
      new TarBuilder().special("sparse", TarArchiveEntry.LF_GNUTYPE_SPARSE).gzip(),
      new TarBuilder().special("volume", (byte) 'V').gzip(),
    };
    List<String> messages = new ArrayList<>();

    for (byte[] archive : archives) {
      BundleRefused r = refusal(() -> readAll(archive, Compression.GZIP, Links.INSIDE_ROOT));
      assertThat(r.type()).isEqualTo("special-file");
      messages.add(r.getMessage());
    }

    assertThat(messages)
        .containsExactly(
            "entry 'dev/tty' is a character device",
            "entry 'dev/sda' is a block device",
            "entry 'pipe' is a FIFO",
            "entry 'sparse' is a sparse file",
            "entry 'volume' has tar type 'V', which is not a file, directory or link");
  }

  @Test
  void refusesDuplicateEntries() {
    byte[] twice = new TarBuilder().file("pack.json", "{}").file("./pack.json", "{}").gzip();
    byte[] fileThenDir = new TarBuilder().file("charts", "x").dir("charts").gzip();
    byte[] underAFile = new TarBuilder().file("charts", "x").file("charts/a.tgz", "y").gzip();
    byte[] fileOverDir = new TarBuilder().file("charts/a.tgz", "y").file("charts", "x").gzip();

    for (byte[] archive : List.of(twice, fileThenDir, underAFile, fileOverDir)) {
      assertThat(refusal(() -> readGzip(archive)).type()).isEqualTo("unsafe-path");
    }
  }

  @Test
  void refusesMoreEntriesThanAllowed() throws IOException {
    ArchiveLimits limits = new ArchiveLimits(1 << 20, 100, 1 << 20, 200);
    TarBuilder exactly = new TarBuilder();
    TarBuilder oneMore = new TarBuilder();
    for (int i = 0; i < 100; i++) {
      exactly.file("f" + i, "x");
      oneMore.file("f" + i, "x");
    }
    oneMore.file("f100", "x");

    assertThat(readAll(exactly.gzip(), Compression.GZIP, Links.REFUSE, limits)).hasSize(100);
    BundleRefused r =
        refusal(() -> readAll(oneMore.gzip(), Compression.GZIP, Links.REFUSE, limits));
    assertThat(r.type()).isEqualTo("too-many-entries");
  }

  @Test
  void refusesAFileOverTheEntryCapBeforeReadingIt() {
    ArchiveLimits limits = new ArchiveLimits(10_000, 10, 1000, 200);
    byte[] archive = new TarBuilder().file("big", new byte[1001]).gzip();

    BundleRefused r = refusal(() -> readAll(archive, Compression.GZIP, Links.REFUSE, limits));

    assertThat(r.type()).isEqualTo("too-large");
    assertThat(r.getMessage()).contains("'big' is 1001 bytes");
  }

  @Test
  void refusesFilesAddingUpOverTheTotalCap() {
    ArchiveLimits limits = new ArchiveLimits(1500, 10, 1000, 200);
    byte[] archive = new TarBuilder().file("a", new byte[1000]).file("b", new byte[1000]).gzip();

    BundleRefused r = refusal(() -> readAll(archive, Compression.GZIP, Links.REFUSE, limits));

    assertThat(r.type()).isEqualTo("too-large");
  }

  @Test
  void refusesAGzipBombWithinSecondsAfterReadingLittle() {
    byte[] bomb = TestArchives.zerosBomb("zeros", 2L << 30, false);
    CountingStream upload = new CountingStream(new ByteArrayInputStream(bomb));

    long start = System.nanoTime();
    BundleRefused r = refusal(() -> readAll(upload, Compression.GZIP, Links.REFUSE, DEFAULTS));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(bomb.length).isBetween(1 << 20, 8 << 20);
    assertThat(r.type()).isEqualTo("decompression-bomb");
    assertThat(upload.count()).isLessThan(256 * 1024);
    assertThat(took).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void refusesAZstdBombWithinSecondsAfterReadingLittle() {
    byte[] bomb = TestArchives.zerosBomb("zeros", 2L << 30, true);

    long start = System.nanoTime();
    BundleRefused r = refusal(() -> readAll(bomb, Compression.ZSTD, Links.REFUSE, DEFAULTS));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // zstd-jni reads its input 128 KiB at a time, so it takes in all of this small bomb at once;
    // what matters is that only a few megabytes come out before the refusal.
    assertThat(bomb.length).isLessThan(1 << 20);
    assertThat(r.type()).isEqualTo("decompression-bomb");
    assertThat(took).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void readsWellCompressedArchivesUnderTheGrace() throws IOException {
    byte[] archive = new TarBuilder().file("zeros", new byte[900 * 1024]).gzip();

    assertThat(readGzip(archive)).hasSize(1);
  }

  @Test
  void refusesTruncatedStreams() {
    byte[] tar = new TarBuilder().file("a", random(200_000)).file("b", random(200_000)).tar();
    byte[] gzip = TestArchives.gzip(tar);
    byte[] zstd = TestArchives.zstd(tar);

    BundleRefused halfGzip = refusal(() -> readGzip(Arrays.copyOf(gzip, gzip.length / 2)));
    BundleRefused halfZstd =
        refusal(
            () -> readAll(Arrays.copyOf(zstd, zstd.length / 2), Compression.ZSTD, Links.REFUSE));
    BundleRefused noTrailer = refusal(() -> readGzip(Arrays.copyOf(gzip, gzip.length - 4)));

    assertThat(halfGzip.type()).isEqualTo("truncated");
    assertThat(halfZstd.type()).isEqualTo("truncated");
    assertThat(noTrailer.type()).isEqualTo("truncated");
  }

  @Test
  void refusesATarWithoutItsEndMarker() {
    byte[] tar = new TarBuilder().file("a", "x").tar();
    int end = tar.length;
    while (tar[end - 1] == 0) {
      end--;
    }
    byte[] cut = Arrays.copyOf(tar, (end + 511) / 512 * 512); // the entries, no zero records

    BundleRefused r = refusal(() -> readGzip(TestArchives.gzip(cut)));

    assertThat(r.type()).isEqualTo("truncated");
    assertThat(r.getMessage()).contains("end-of-archive marker");
  }

  @Test
  void refusesWhatIsNotACompressedTar() {
    byte[] text = "just some text, not a tar".getBytes(StandardCharsets.UTF_8);
    byte[] gzipOfJunk = TestArchives.gzip(random(4096));
    byte[] corrupt = new TarBuilder().file("a", random(100_000)).gzip();
    for (int i = 100; i < 200; i++) {
      corrupt[corrupt.length / 2 + i] ^= 0x5a;
    }

    assertThat(refusal(() -> readGzip(new byte[0])).type()).isEqualTo("not-an-archive");
    assertThat(refusal(() -> readGzip(text)).type()).isEqualTo("not-an-archive");
    assertThat(refusal(() -> readGzip(gzipOfJunk)).type()).isEqualTo("not-an-archive");
    assertThat(refusal(() -> readGzip(TestArchives.gzip(text))).type()).isEqualTo("not-an-archive");
    assertThat(refusal(() -> readGzip(corrupt)).type()).isEqualTo("not-an-archive");
    assertThat(refusal(() -> readAll(TestArchives.gzip(text), Compression.ZSTD, Links.REFUSE)))
        .extracting(BundleRefused::getMessage)
        .isEqualTo("the archive is not zstd-compressed");
  }

  @Test
  void refusesAGzipHeaderThatNeverEnds() {
    byte[] header = {0x1f, (byte) 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3}; // FNAME set
    InputStream endlessName =
        new InputStream() {
          private int at;

          @Override
          public int read() {
            return at < header.length ? header[at++] & 0xff : 'a';
          }
        };

    BundleRefused r = refusal(() -> readAll(endlessName, Compression.GZIP, Links.REFUSE, DEFAULTS));

    assertThat(r.type()).isEqualTo("not-an-archive");
  }

  @Test
  void passesUploadFailuresOnAsTheyAre() {
    byte[] archive = new TarBuilder().file("a", random(300_000)).gzip();
    IOException broken = new IOException("connection reset");
    InputStream failing =
        new InputStream() {
          private int at;

          @Override
          public int read() throws IOException {
            if (at >= archive.length / 2) {
              throw broken;
            }
            return archive[at++] & 0xff;
          }
        };

    Throwable thrown =
        catchThrowable(() -> readAll(failing, Compression.GZIP, Links.REFUSE, DEFAULTS));

    assertThat(thrown).isSameAs(broken);
  }

  // ---------------------------------------------------------------------------------------------

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static SafeTarReader open(byte[] archive, Compression c, Links links) throws IOException {
    return SafeTarReader.open(new ByteArrayInputStream(archive), c, DEFAULTS, links);
  }

  private static List<Entry> readGzip(byte[] archive) throws IOException {
    return readAll(archive, Compression.GZIP, Links.REFUSE);
  }

  private static List<Entry> readAll(byte[] archive, Compression c, Links links)
      throws IOException {
    return readAll(new ByteArrayInputStream(archive), c, links, DEFAULTS);
  }

  private static List<Entry> readAll(
      byte[] archive, Compression c, Links links, ArchiveLimits limits) throws IOException {
    return readAll(new ByteArrayInputStream(archive), c, links, limits);
  }

  private static List<Entry> readAll(
      InputStream in, Compression c, Links links, ArchiveLimits limits) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (SafeTarReader tar = SafeTarReader.open(in, c, limits, links)) {
      for (Entry e = tar.next(); e != null; e = tar.next()) {
        entries.add(e);
      }
    }
    return entries;
  }
}
