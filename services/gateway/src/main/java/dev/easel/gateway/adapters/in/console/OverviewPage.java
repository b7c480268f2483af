package dev.easel.gateway.adapters.in.console;

import dev.easel.gateway.adapters.in.messaging.EventFeed;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import tools.jackson.databind.JsonNode;

/** {@code /}: counts of nodes and clusters by state, registry health, latest scans, events. */
@Controller
class OverviewPage {

  private final ConsoleApi api;
  private final EventFeed feed;

  OverviewPage(ConsoleApi api, EventFeed feed) {
    this.api = api;
    this.feed = feed;
  }

  @GetMapping("/")
  String overview(HttpServletRequest request, Model model) {
    summary(request, model);
    events(model);
    return "console/overview";
  }

  @GetMapping("/overview/summary")
  String summaryFragment(HttpServletRequest request, Model model) {
    summary(request, model);
    return "console/overview :: summary";
  }

  @GetMapping("/overview/events")
  String eventsFragment(Model model) {
    events(model);
    return "console/overview :: events";
  }

  private void summary(HttpServletRequest request, Model model) {
    ConsoleApi.Answer nodes = api.get(request, "/api/v1/nodes/summary");
    model.addAttribute("nodes", nodes.ok() ? nodes.body() : null);
    ConsoleApi.Answer clusters = api.get(request, "/api/v1/clusters?limit=200");
    Map<String, Integer> byState = new TreeMap<>();
    Map<String, Integer> byHealth = new TreeMap<>();
    List<JsonNode> clusterList = new ArrayList<>();
    if (clusters.ok()) {
      for (JsonNode c : clusters.body().path("items")) {
        clusterList.add(c);
        byState.merge(c.path("state").asString("UNKNOWN"), 1, Integer::sum);
        String health = c.path("health").path("state").asString(c.path("health").asString(""));
        if (!health.isEmpty()) {
          byHealth.merge(health, 1, Integer::sum);
        }
      }
    }
    model.addAttribute("clustersByState", byState);
    model.addAttribute("clustersByHealth", byHealth);
    ConsoleApi.Answer registries = api.get(request, "/api/v1/registries");
    model.addAttribute("registries", registries.ok() ? registries.body() : null);
    List<JsonNode> scans = new ArrayList<>();
    for (JsonNode c : clusterList.subList(0, Math.min(clusterList.size(), 10))) {
      ConsoleApi.Answer s =
          api.get(
              request, "/api/v1/clusters/" + Pages.q(c.path("id").asString()) + "/scans?limit=3");
      if (s.ok()) {
        for (JsonNode scan : s.body().path("scans")) {
          scans.add(scan);
        }
      }
    }
    scans.sort(
        (a, b) -> b.path("requestedAt").asString("").compareTo(a.path("requestedAt").asString("")));
    model.addAttribute("scans", scans.subList(0, Math.min(scans.size(), 8)));
  }

  private void events(Model model) {
    model.addAttribute("events", feed.recent(15));
  }
}
