package dev.easel.compliance.adapters.out.export;

import dev.easel.compliance.domain.report.AffectedPackage;
import dev.easel.compliance.domain.report.Finding;
import dev.easel.compliance.domain.report.Severity;
import java.io.IOException;
import java.io.OutputStream;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName;

/**
 * Writes a scan report as a PDF: a header naming the cluster and the scan, a summary of counts, and
 * a table of the findings on A4 landscape pages, its header row repeated on each page, and each
 * page numbered.
 *
 * <p>Cell text wraps at word boundaries, and inside words too long for the column (paths, URLs). A
 * cell shows at most {@value #MAX_CELL_LINES} lines, ending with {@code ...} when there is more, so
 * that every row fits on a page; the CSV download has the full text. The PDF uses the standard
 * Helvetica font, which needs no embedding and covers Western European text (WinAnsi); any other
 * character is shown as {@code ?}. Pages are kept in a temporary file while the report is written,
 * so a report of tens of thousands of findings does not have to fit in memory.
 */
public final class PdfReport {

  static final int MAX_CELL_LINES = 30;

  private static final PDRectangle PAGE =
      new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
  private static final float MARGIN = 36;
  private static final float FOOTER = 16;
  private static final float BOTTOM = MARGIN + FOOTER;
  private static final float WIDTH = PAGE.getWidth() - 2 * MARGIN;
  private static final float TABLE_SIZE = 7.5f;
  private static final float TABLE_LEADING = 9.5f;
  private static final float PAD = 2.5f;
  private static final float DETAIL_WIDTH = WIDTH - 545;

  /** Text longer than this cannot fit a cell of {@value #MAX_CELL_LINES} lines at any width. */
  private static final int MAX_CELL_CHARS = MAX_CELL_LINES * 200;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private record Column(String title, float width, Function<Finding, String> value) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("Node", 70, f -> lines(f.node(), f.role())),
          new Column("Scope", 60, Finding::scope),
          // A conformance test's rule is its name, which the title column shows.
          new Column("Rule", 80, f -> Objects.equals(f.ruleId(), f.title()) ? null : f.ruleId()),
          new Column("Title", 150, Finding::title),
          new Column("Status", 42, f -> f.status() == null ? null : f.status().name()),
          new Column(
              "Severity", 48, f -> f.severity() == Severity.NONE ? null : f.severity().name()),
          new Column("Package", 95, PdfReport::packageText),
          new Column("Detail", DETAIL_WIDTH, PdfReport::detailText));

  /** Writes the report to {@code out}, which is not closed. */
  public void write(ReportDocument report, OutputStream out) throws IOException {
    try (PDDocument doc = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
      Fonts fonts = new Fonts();
      try (Canvas canvas = new Canvas(doc, fonts)) {
        canvas.newPage();
        heading(canvas, report);
        summary(canvas, report.summary());
        findings(canvas, report.findings());
      }
      footers(doc, fonts, report);
      doc.save(out);
    }
  }

  private static void heading(Canvas canvas, ReportDocument report) throws IOException {
    Fonts fonts = canvas.fonts;
    canvas.write("Compliance scan report", fonts.bold, 16, MARGIN, 20);
    canvas.write(orDash(report.clusterName()), fonts.bold, 12, MARGIN, 18);
    field(canvas, "Scan", report.scanId());
    field(canvas, "Kind", report.kind());
    field(canvas, "Started", time(report.startedAt()));
    field(canvas, "Finished", time(report.finishedAt()));
    field(canvas, "State", report.state());
    canvas.y -= 8;
  }

  private static void field(Canvas canvas, String label, String value) throws IOException {
    canvas.show(label, canvas.fonts.bold, 9, MARGIN, canvas.y - 9);
    String text = canvas.fonts.fit(orDash(value), canvas.fonts.regular, 9, WIDTH - 60);
    canvas.show(text, canvas.fonts.regular, 9, MARGIN + 60, canvas.y - 9);
    canvas.y -= 12;
  }

  private static void summary(Canvas canvas, Map<String, Long> summary) throws IOException {
    Fonts fonts = canvas.fonts;
    canvas.write("Summary", fonts.bold, 11, MARGIN, 16);
    if (summary.isEmpty()) {
      canvas.write("No counts.", fonts.regular, 9, MARGIN, 12);
    }
    float x = MARGIN;
    for (Map.Entry<String, Long> count : summary.entrySet()) {
      String text = fonts.fit(count.getKey() + ": " + count.getValue(), fonts.regular, 9, WIDTH);
      float width = fonts.width(text, fonts.regular, 9);
      if (x > MARGIN && x + width > MARGIN + WIDTH) {
        canvas.y -= 12;
        x = MARGIN;
      }
      canvas.show(text, fonts.regular, 9, x, canvas.y - 9);
      x += width + 18;
    }
    canvas.y -= summary.isEmpty() ? 8 : 20;
  }

  private static void findings(Canvas canvas, Iterable<Finding> findings) throws IOException {
    canvas.write("Findings", canvas.fonts.bold, 11, MARGIN, 16);
    float headerHeight = TABLE_LEADING + 2 * PAD;
    if (canvas.room() < headerHeight + 3 * TABLE_LEADING) {
      canvas.newPage();
    }
    tableHeader(canvas);
    boolean any = false;
    for (Finding finding : findings) {
      any = true;
      List<List<String>> cells = new ArrayList<>(COLUMNS.size());
      int lines = 1;
      for (Column column : COLUMNS) {
        List<String> cell =
            canvas.fonts.wrap(
                column.value().apply(finding),
                canvas.fonts.regular,
                TABLE_SIZE,
                column.width() - 2 * PAD,
                MAX_CELL_LINES);
        cells.add(cell);
        lines = Math.max(lines, cell.size());
      }
      float height = lines * TABLE_LEADING + 2 * PAD;
      if (canvas.room() < height) {
        canvas.newPage();
        tableHeader(canvas);
      }
      row(canvas, cells, height);
    }
    if (!any) {
      canvas.write("No findings.", canvas.fonts.regular, 9, MARGIN, 14);
    }
  }

  private static void tableHeader(Canvas canvas) throws IOException {
    float height = TABLE_LEADING + 2 * PAD;
    canvas.fill(MARGIN, canvas.y - height, WIDTH, height, 0.88f);
    float x = MARGIN;
    for (Column column : COLUMNS) {
      canvas.show(column.title(), canvas.fonts.bold, TABLE_SIZE, x + PAD, baseline(canvas.y, 0));
      x += column.width();
    }
    canvas.y -= height;
  }

  private static void row(Canvas canvas, List<List<String>> cells, float height)
      throws IOException {
    float x = MARGIN;
    for (int c = 0; c < COLUMNS.size(); c++) {
      List<String> lines = cells.get(c);
      for (int i = 0; i < lines.size(); i++) {
        canvas.show(lines.get(i), canvas.fonts.regular, TABLE_SIZE, x + PAD, baseline(canvas.y, i));
      }
      x += COLUMNS.get(c).width();
    }
    canvas.y -= height;
    canvas.rule(MARGIN, canvas.y, MARGIN + WIDTH, 0.75f);
  }

  /** The baseline of a cell's line {@code i} in a row whose top is at {@code top}. */
  private static float baseline(float top, int i) {
    return top - PAD - (i + 1) * TABLE_LEADING + 2.5f;
  }

  private static void footers(PDDocument doc, Fonts fonts, ReportDocument report)
      throws IOException {
    int pages = doc.getNumberOfPages();
    for (int i = 0; i < pages; i++) {
      String text =
          fonts.fit(
              orDash(report.clusterName())
                  + " \u00b7 scan "
                  + orDash(report.scanId())
                  + " \u00b7 page "
                  + (i + 1)
                  + " of "
                  + pages,
              fonts.regular,
              7,
              WIDTH);
      try (PDPageContentStream content =
          new PDPageContentStream(doc, doc.getPage(i), AppendMode.APPEND, true, true)) {
        content.beginText();
        content.setFont(fonts.regular, 7);
        content.newLineAtOffset(MARGIN, MARGIN - 8);
        content.showText(text);
        content.endText();
      }
    }
  }

  private static String packageText(Finding f) {
    AffectedPackage pkg = f.affected();
    if (pkg == null) {
      return null;
    }
    String text = lines(pkg.name(), pkg.version());
    if (!pkg.fixedIn().isEmpty()) {
      text = lines(text, "fixed in " + String.join(", ", pkg.fixedIn()));
    } else if (pkg.fixState() != null) {
      text = lines(text, pkg.fixState());
    }
    return text;
  }

  private static String detailText(Finding f) {
    String remediation = f.remediation() == null ? null : "Remediation: " + f.remediation();
    String text = lines(f.detail(), remediation);
    return lines(text, f.reference());
  }

  /** The non-null parts, one per line. */
  private static String lines(String first, String second) {
    if (first == null || first.isBlank()) {
      return second;
    }
    return second == null || second.isBlank() ? first : first + "\n" + second;
  }

  private static String time(Instant t) {
    return t == null ? null : TIME.format(t);
  }

  private static String orDash(String text) {
    return text == null || text.isBlank() ? "-" : text;
  }

  /** Pages being filled from the top down, and the current page's content. */
  private static final class Canvas implements AutoCloseable {

    private final PDDocument doc;
    private final Fonts fonts;
    private PDPageContentStream content;
    private float y;

    Canvas(PDDocument doc, Fonts fonts) {
      this.doc = doc;
      this.fonts = fonts;
    }

    void newPage() throws IOException {
      close();
      PDPage page = new PDPage(PAGE);
      doc.addPage(page);
      content = new PDPageContentStream(doc, page);
      y = PAGE.getHeight() - MARGIN;
    }

    float room() {
      return y - BOTTOM;
    }

    /** Writes a line of text below the last, on a new page if it does not fit. */
    void write(String text, PDFont font, float size, float x, float height) throws IOException {
      if (room() < height) {
        newPage();
      }
      show(fonts.fit(text, font, size, PAGE.getWidth() - MARGIN - x), font, size, x, y - size);
      y -= height;
    }

    /** Shows text, already wrapped or fitted, with its baseline at {@code baseline}. */
    void show(String text, PDFont font, float size, float x, float baseline) throws IOException {
      if (text.isEmpty()) {
        return;
      }
      content.beginText();
      content.setFont(font, size);
      content.newLineAtOffset(x, baseline);
      content.showText(text);
      content.endText();
    }

    void fill(float x, float bottom, float width, float height, float gray) throws IOException {
      content.setNonStrokingColor(gray);
      content.addRect(x, bottom, width, height);
      content.fill();
      content.setNonStrokingColor(0f);
    }

    void rule(float x1, float at, float x2, float gray) throws IOException {
      content.setStrokingColor(gray);
      content.setLineWidth(0.4f);
      content.moveTo(x1, at);
      content.lineTo(x2, at);
      content.stroke();
      content.setStrokingColor(0f);
    }

    @Override
    public void close() throws IOException {
      if (content != null) {
        content.close();
        content = null;
      }
    }
  }

  /** Helvetica, and text made safe for it: wrapped, fitted, and without characters it lacks. */
  private static final class Fonts {

    final PDFont regular = new PDType1Font(FontName.HELVETICA);
    final PDFont bold = new PDType1Font(FontName.HELVETICA_BOLD);
    private final Map<Integer, Boolean> encodable = new HashMap<>();

    /**
     * The text in characters Helvetica can show, composed (NFC) first so that an accent written as
     * a separate mark still shows; others become {@code ?}, control characters spaces. Line breaks
     * are kept as {@code \n}.
     */
    String clean(String text) {
      String composed = Normalizer.normalize(text.replace("\r\n", "\n"), Normalizer.Form.NFC);
      StringBuilder out = new StringBuilder(composed.length());
      composed
          .codePoints()
          .forEach(
              cp -> {
                if (cp == '\n') {
                  out.append('\n');
                } else if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
                  out.append(' ');
                } else if (encodable.computeIfAbsent(cp, this::canEncode)) {
                  out.appendCodePoint(cp);
                } else {
                  out.append('?');
                }
              });
      return out.toString();
    }

    private boolean canEncode(int cp) {
      try {
        regular.encode(new String(Character.toChars(cp)));
        return true;
      } catch (IllegalArgumentException | IOException e) {
        return false;
      }
    }

    float width(String cleaned, PDFont font, float size) throws IOException {
      return font.getStringWidth(cleaned) / 1000 * size;
    }

    /** One line of the text, cut to the width with {@code ...} if it is wider. */
    String fit(String text, PDFont font, float size, float width) throws IOException {
      String line = clean(text).replace('\n', ' ');
      if (width(line, font, size) <= width) {
        return line;
      }
      return ellipsis(line, font, size, width);
    }

    /**
     * The text in lines no wider than {@code width}, at most {@code maxLines} of them; the last
     * ends with {@code ...} when text was left out. Null or blank text has no lines.
     */
    List<String> wrap(String text, PDFont font, float size, float width, int maxLines)
        throws IOException {
      List<String> lines = new ArrayList<>();
      if (text == null || text.isBlank()) {
        return lines;
      }
      boolean cut = text.length() > MAX_CELL_CHARS;
      String cleaned = clean(cut ? text.substring(0, MAX_CELL_CHARS) : text).strip();
      for (String paragraph : cleaned.split("\n", -1)) {
        wrapParagraph(paragraph.strip(), font, size, width, lines);
        if (lines.size() > maxLines) {
          break;
        }
      }
      if (lines.size() > maxLines || cut) {
        List<String> kept = new ArrayList<>(lines.subList(0, Math.min(lines.size(), maxLines)));
        int last = kept.size() - 1;
        kept.set(last, ellipsis(kept.get(last) + "...", font, size, width));
        return kept;
      }
      return lines;
    }

    private void wrapParagraph(
        String paragraph, PDFont font, float size, float width, List<String> lines)
        throws IOException {
      if (paragraph.isEmpty()) {
        lines.add("");
        return;
      }
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.split(" +")) {
        String candidate = line.isEmpty() ? word : line + " " + word;
        if (width(candidate, font, size) <= width) {
          line.setLength(0);
          line.append(candidate);
          continue;
        }
        if (!line.isEmpty()) {
          lines.add(line.toString());
          line.setLength(0);
        }
        String rest = word;
        while (width(rest, font, size) > width) {
          int fits = fittingPrefix(rest, font, size, width);
          lines.add(rest.substring(0, fits));
          rest = rest.substring(fits);
        }
        line.append(rest);
      }
      lines.add(line.toString());
    }

    /** How many of the text's first characters fit the width; at least one. */
    private int fittingPrefix(String text, PDFont font, float size, float width)
        throws IOException {
      float used = 0;
      int i = 0;
      while (i < text.length()) {
        int next = text.offsetByCodePoints(i, 1);
        used += width(text.substring(i, next), font, size);
        if (used > width) {
          break;
        }
        i = next;
      }
      return Math.max(i, text.offsetByCodePoints(0, 1));
    }

    /** The line, shortened until it fits with {@code ...} at its end. */
    private String ellipsis(String line, PDFont font, float size, float width) throws IOException {
      String base = line.endsWith("...") ? line.substring(0, line.length() - 3) : line;
      while (!base.isEmpty() && width(base + "...", font, size) > width) {
        base = base.substring(0, base.offsetByCodePoints(base.length(), -1));
      }
      return base + "...";
    }
  }
}
