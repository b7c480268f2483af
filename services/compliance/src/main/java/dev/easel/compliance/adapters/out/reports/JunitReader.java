package dev.easel.compliance.adapters.out.reports;

import dev.easel.compliance.domain.report.ReportRejected;
import dev.easel.compliance.domain.report.Status;
import java.io.InputStream;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads JUnit XML as Sonobuoy's plugins write it, one test case at a time: the root is {@code
 * <testsuites>} holding {@code <testsuite>}s, or a single {@code <testsuite>} (the e2e plugin's
 * Ginkgo reporter). A document with another root is not a JUnit result and yields nothing.
 *
 * <p>As in Sonobuoy's own processing, a case with {@code <skipped>} is skipped, one with {@code
 * <failure>} or {@code <error>} failed, any other passed; a failure's detail is its {@code message}
 * and its text, and its {@code <system-out>} when it has neither.
 *
 * <p>A document type declaration is refused before anything else is read. The reader supports no
 * DTDs and no external entities either, so a hostile document cannot make it read a file or a URL.
 */
final class JunitReader {

  /** One test case. */
  record TestCase(String name, Status status, String detail) {}

  private final XMLInputFactory factory;

  JunitReader() {
    // The JDK's own reader, whatever else is on the class path (Woodstox comes with the CycloneDX
    // library): these properties are the JDK's.
    factory = XMLInputFactory.newDefaultFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
  }

  /**
   * Reads one document and gives {@code out} its test cases in order.
   *
   * @param what the document, for messages: {@code the Sonobuoy results archive's
   *     plugins/e2e/results/global/junit_01.xml}
   */
  void read(InputStream in, String what, Consumer<TestCase> out) throws ReportRejected {
    XMLStreamReader r = null;
    try {
      r = factory.createXMLStreamReader(in);
      if (!atJunitRoot(r, what)) {
        return;
      }
      while (r.hasNext()) {
        if (r.next() == XMLStreamConstants.START_ELEMENT && "testcase".equals(r.getLocalName())) {
          out.accept(testCase(r));
        }
      }
    } catch (XMLStreamException e) {
      throw ReportFailures.limitIn(e)
          .map(limit -> new ReportRejected(what + " " + limit.getMessage(), e))
          .orElseGet(() -> new ReportRejected(what + " is not valid XML: " + reason(e), e));
    } finally {
      close(r);
    }
  }

  /** Moves to the root element; false when it is not a JUnit root. */
  private static boolean atJunitRoot(XMLStreamReader r, String what)
      throws XMLStreamException, ReportRejected {
    while (r.hasNext()) {
      int event = r.next();
      if (event == XMLStreamConstants.DTD) {
        throw new ReportRejected(
            what + " declares a document type (DTD), which JUnit results never need; refused");
      }
      if (event == XMLStreamConstants.START_ELEMENT) {
        String root = r.getLocalName();
        return "testsuites".equals(root) || "testsuite".equals(root);
      }
    }
    return false;
  }

  /** Reads a {@code <testcase>}, the reader on its start, up to its end. */
  private static TestCase testCase(XMLStreamReader r) throws XMLStreamException {
    String name = r.getAttributeValue(null, "name");
    boolean skipped = false;
    String failure = null;
    String systemOut = null;
    int depth = 1;
    while (depth > 0) {
      int event = r.next();
      if (event == XMLStreamConstants.END_ELEMENT) {
        depth--;
      } else if (event == XMLStreamConstants.START_ELEMENT) {
        switch (r.getLocalName()) {
          case "skipped" -> {
            skipped = true;
            text(r);
          }
          case "failure", "error" -> {
            String message = r.getAttributeValue(null, "message");
            String text = text(r);
            if (failure == null) {
              failure = join(message, text);
            }
          }
          case "system-out" -> systemOut = ReportJson.strip(text(r));
          default -> depth++;
        }
      }
    }
    Status status;
    if (skipped) {
      status = Status.SKIPPED;
    } else if (failure != null) {
      status = Status.FAIL;
    } else {
      status = Status.PASS;
    }
    String detail = status == Status.FAIL && failure.isEmpty() ? systemOut : failure;
    return new TestCase(name, status, ReportJson.strip(detail));
  }

  /**
   * The text inside the element the reader is on, nested elements' text included, up to the
   * element's end. {@link XMLStreamReader#getElementText()} fails on any nested element.
   */
  private static String text(XMLStreamReader r) throws XMLStreamException {
    StringBuilder text = new StringBuilder();
    int depth = 1;
    while (depth > 0) {
      switch (r.next()) {
        case XMLStreamConstants.START_ELEMENT -> depth++;
        case XMLStreamConstants.END_ELEMENT -> depth--;
        case XMLStreamConstants.CHARACTERS,
            XMLStreamConstants.CDATA,
            XMLStreamConstants.SPACE,
            XMLStreamConstants.ENTITY_REFERENCE ->
            text.append(r.getText());
        default -> {
          // comments and processing instructions carry no result
        }
      }
    }
    return text.toString();
  }

  /** Sonobuoy joins a failure's message and text with a space; either may be missing. */
  private static String join(String message, String text) {
    String m = message == null ? "" : message.strip();
    String t = text == null ? "" : text.strip();
    return (m + " " + t).strip();
  }

  private static String reason(XMLStreamException e) {
    String message = e.getMessage();
    if (message != null) {
      int at = message.lastIndexOf("Message: ");
      if (at >= 0) {
        message = message.substring(at + "Message: ".length());
      }
    }
    String reason = ReportFailures.shorten(message);
    if (e.getLocation() != null && e.getLocation().getLineNumber() > 0) {
      reason +=
          " (line "
              + e.getLocation().getLineNumber()
              + ", column "
              + e.getLocation().getColumnNumber()
              + ")";
    }
    return reason;
  }

  private static void close(XMLStreamReader r) {
    if (r != null) {
      try {
        r.close();
      } catch (XMLStreamException e) {
        // Closing releases the parser only; the stream belongs to the caller.
      }
    }
  }
}
