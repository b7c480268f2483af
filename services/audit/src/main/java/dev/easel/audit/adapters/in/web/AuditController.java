package dev.easel.audit.adapters.in.web;

import dev.easel.audit.application.Verifying;
import dev.easel.audit.application.port.ChainStore;
import dev.easel.audit.domain.AuditRecord;
import dev.easel.audit.domain.HashChain;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/** The audit log: its records, filtered a page at a time, and the chain's verification. */
@RestController
@RequestMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditController {

  static final int MAX_PAGE = 500;

  private final ChainStore store;
  private final Verifying verifying;
  private final ObjectMapper json;

  AuditController(ChainStore store, Verifying verifying, ObjectMapper json) {
    this.store = store;
    this.verifying = verifying;
    this.json = json;
  }

  /** Records oldest first after {@code after} (a seq), with {@code next} for the next page. */
  @GetMapping("/records")
  @Transactional(readOnly = true)
  Map<String, Object> records(
      @RequestParam(required = false) String actor,
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String subject,
      @RequestParam(required = false) Instant from,
      @RequestParam(required = false) Instant to,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100") int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new Problems.BadParameter("limit", "limit is 1 to " + MAX_PAGE);
    }
    List<AuditRecord> page =
        store.search(new ChainStore.Filter(actor, type, subject, from, to), after, limit);
    List<Map<String, Object>> items = new ArrayList<>();
    for (AuditRecord r : page) {
      items.add(view(r));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", items);
    out.put("next", page.size() == limit ? page.get(page.size() - 1).seq() : null);
    return out;
  }

  /** Recomputes the chain from {@code from} to {@code to} (the head when absent). */
  @GetMapping("/verify")
  Map<String, Object> verify(
      @RequestParam(defaultValue = "1") long from, @RequestParam(required = false) Long to) {
    if (from < 1 || (to != null && to < from)) {
      throw new Problems.BadParameter("from", "from is 1 or more, and to is not before it");
    }
    HashChain.Verdict v = verifying.verify(from, to);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ok", v.ok());
    out.put("checked", v.checked());
    if (!v.ok()) {
      out.put("brokenSeq", v.brokenSeq());
      out.put("reason", v.reason());
    }
    store.head().ifPresent(h -> out.put("head", Map.of("seq", h.seq(), "hash", h.hash())));
    return out;
  }

  private Map<String, Object> view(AuditRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seq", r.seq());
    out.put("eventId", r.eventId());
    out.put("type", r.type());
    out.put("source", r.source());
    out.put("subject", r.subject());
    out.put("actor", r.actor());
    out.put("time", r.time());
    out.put("topic", r.topic());
    out.put("dataHash", r.dataHash());
    out.put("data", data(r.data()));
    out.put("prevHash", r.prevHash());
    out.put("hash", r.hash());
    return out;
  }

  /** The data as JSON when it is JSON, else as text. */
  private Object data(byte[] data) {
    try {
      return json.readTree(data);
    } catch (JacksonException e) {
      return new String(data, StandardCharsets.UTF_8);
    }
  }
}
