package dev.easel.gateway.adapters.in.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log: records filtered by actor, type, subject and time range, a page at a time (oldest
 * first, by sequence number), and the hash chain's verification, re-read as records arrive.
 */
@Controller
class AuditPages {

  static final int PAGE_SIZE = 50;

  private final ConsoleApi api;

  AuditPages(ConsoleApi api) {
    this.api = api;
  }

  @GetMapping("/audit")
  String audit(
      @RequestParam(required = false) String actor,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String subject,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String after,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Map<String, String> form =
        Pages.params("actor", actor, "type", type, "subject", subject, "from", from, "to", to);
    model.addAttribute("form", form);
    model.addAttribute("after", after == null ? "" : after);
    model.addAttribute("filterQuery", Pages.query(form));
    Map<String, String> problems = new LinkedHashMap<>();
    String fromInstant = instant(from, "from", problems);
    String toInstant = instant(to, "to", problems);
    if (after != null && !after.isBlank() && !after.strip().matches("\\d{1,18}")) {
      problems.put("after", "must be a record's sequence number");
    }
    verify(request, model);
    if (!problems.isEmpty()) {
      model.addAttribute("errors", problems);
      model.addAttribute("records", List.of());
      response.setStatus(400);
      return "console/audit/records";
    }
    ConsoleApi.Answer a =
        api.get(
            request,
            "/api/v1/audit/records"
                + Pages.query(
                    Pages.params(
                        "actor",
                        blank(actor),
                        "type",
                        blank(type),
                        "subject",
                        blank(subject),
                        "from",
                        fromInstant,
                        "to",
                        toInstant,
                        "after",
                        blank(after),
                        "limit",
                        Integer.toString(PAGE_SIZE))));
    if (!a.ok()) {
      Pages.refused(a, model, response);
      String parameter = a.body().path("parameter").asString("");
      if (!parameter.isEmpty()) {
        model.addAttribute("errors", Map.of(parameter, a.detail()));
      }
      model.addAttribute("records", List.of());
      return "console/audit/records";
    }
    model.addAttribute("records", a.body().path("items"));
    String next = a.body().path("next").asString("");
    if (!next.isEmpty()) {
      Map<String, String> nq = new LinkedHashMap<>(form);
      nq.put("after", next);
      model.addAttribute("nextQuery", Pages.query(nq));
    }
    return "console/audit/records";
  }

  @GetMapping("/audit/verify")
  String verifyPart(HttpServletRequest request, Model model) {
    verify(request, model);
    return "console/audit/records :: verify";
  }

  private void verify(HttpServletRequest request, Model model) {
    ConsoleApi.Answer v = api.get(request, "/api/v1/audit/verify");
    if (v.ok()) {
      model.addAttribute("verdict", v.body());
    } else {
      model.addAttribute("verifyError", v.detail());
    }
  }

  /** A time from the form (an ISO instant, or a local date and time read as UTC) as an instant. */
  private static String instant(String text, String field, Map<String, String> problems) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.strip();
    try {
      return Instant.parse(t).toString();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toString();
      } catch (DateTimeParseException e2) {
        problems.put(field, "must be a date and time, such as 2026-11-27T01:00 (UTC)");
        return null;
      }
    }
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
