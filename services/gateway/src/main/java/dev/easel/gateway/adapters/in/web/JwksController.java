package dev.easel.gateway.adapters.in.web;

import dev.easel.gateway.application.Identities;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public keys services verify the gateway's identities with. */
@RestController
class JwksController {

  private final Identities identities;

  JwksController(Identities identities) {
    this.identities = identities;
  }

  @GetMapping(path = "/.well-known/jwks.json", produces = "application/jwk-set+json")
  ResponseEntity<String> jwks() {
    return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(identities.jwkSet());
  }
}
