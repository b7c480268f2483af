package dev.easel.nodes.adapters.in.web;

import dev.easel.nodes.application.PlanView;
import dev.easel.nodes.application.Plans;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/plans}: operators read a plan with each step's state and captured output. */
@RestController
@RequestMapping("/api/v1/plans")
class PlansController {

  private final Plans plans;

  PlansController(Plans plans) {
    this.plans = plans;
  }

  @GetMapping("/{planId}")
  PlanView get(@PathVariable String planId) {
    return plans
        .find(planId, true)
        .orElseThrow(() -> new NotFound("plan " + planId + " does not exist"));
  }
}
