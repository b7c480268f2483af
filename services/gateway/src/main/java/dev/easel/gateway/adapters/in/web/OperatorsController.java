package dev.easel.gateway.adapters.in.web;

import dev.easel.gateway.application.Operators;
import dev.easel.gateway.domain.Operator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Users, for admins. A password hash never leaves the gateway. */
@RestController
@RequestMapping(path = "/api/v1/users", produces = MediaType.APPLICATION_JSON_VALUE)
class OperatorsController {

  record NewOperator(String name, String password, String role) {}

  record Change(String role, Boolean disabled) {}

  private final Operators operators;
  private final SessionGuard guard;

  OperatorsController(Operators operators, SessionGuard guard) {
    this.operators = operators;
    this.guard = guard;
  }

  @GetMapping
  Map<String, Object> list() {
    return Map.of("items", operators.all().stream().map(OperatorsController::view).toList());
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> create(@RequestBody NewOperator body) {
    if (body == null) {
      throw new Operators.Invalid(Map.of("body", "is required"));
    }
    Operator o = operators.create(body.name(), body.password(), body.role());
    return ResponseEntity.status(HttpStatus.CREATED).body(view(o));
  }

  @PatchMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> update(@PathVariable String name, @RequestBody Change body) {
    if (body == null || (body.role() == null && body.disabled() == null)) {
      throw new Operators.Invalid(Map.of("body", "must change role or disabled"));
    }
    Operator o = operators.update(name, body.role(), body.disabled());
    guard.forget(name);
    return view(o);
  }

  @DeleteMapping("/{name}")
  ResponseEntity<Void> delete(@PathVariable String name) {
    operators.delete(name);
    guard.forget(name);
    return ResponseEntity.noContent().build();
  }

  static Map<String, Object> view(Operator o) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", o.name());
    out.put("role", o.role().id());
    out.put("source", o.source());
    out.put("disabled", o.disabled());
    out.put("mustChangePassword", o.mustChangePassword());
    out.put("createdAt", o.createdAt().toString());
    out.put("updatedAt", o.updatedAt().toString());
    return out;
  }
}
