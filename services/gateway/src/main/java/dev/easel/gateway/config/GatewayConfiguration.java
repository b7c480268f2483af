package dev.easel.gateway.config;

import dev.easel.common.process.PeriodicTask;
import dev.easel.gateway.adapters.in.web.ProxyRoutes;
import dev.easel.gateway.adapters.in.web.ServiceDirectory;
import dev.easel.gateway.application.Identities;
import dev.easel.gateway.application.Operators;
import dev.easel.gateway.application.Tokens;
import dev.easel.gateway.application.port.SigningKeyStore;
import dev.easel.gateway.domain.LoginBackoff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The gateway's wiring: where services are, the signing key's life, sign-in backoff, and the first
 * admin.
 */
@Configuration
@EnableConfigurationProperties(GatewayConfiguration.Services.class)
class GatewayConfiguration {

  private static final Logger log = LoggerFactory.getLogger(GatewayConfiguration.class);

  /** {@code easel.gateway.services.<context>}: each service's base URL. */
  @ConfigurationProperties("easel.gateway")
  record Services(Map<String, String> services) {}

  @Bean
  RouterFunction<ServerResponse> serviceRoutes(Services services, Identities identities) {
    return ProxyRoutes.routes(
        services.services() == null ? Map.of() : services.services(), identities);
  }

  @Bean
  ServiceDirectory serviceDirectory(Services services) {
    return new ServiceDirectory(services.services() == null ? Map.of() : services.services());
  }

  @Bean
  Identities identities(
      SigningKeyStore keys,
      Clock clock,
      @Value("${easel.gateway.identity.lifetime:60s}") Duration lifetime,
      @Value("${easel.gateway.identity.rotate-every:24h}") Duration rotateEvery) {
    return new Identities(keys, clock, lifetime, rotateEvery);
  }

  @Bean
  LoginBackoff perUserBackoff(
      @Value("${easel.gateway.sign-in.user-free-failures:5}") int free,
      @Value("${easel.gateway.sign-in.first-delay:1s}") Duration first,
      @Value("${easel.gateway.sign-in.longest-delay:15m}") Duration longest) {
    return new LoginBackoff(free, first, longest, Duration.ofHours(1));
  }

  @Bean
  LoginBackoff perAddressBackoff(
      @Value("${easel.gateway.sign-in.address-free-failures:20}") int free,
      @Value("${easel.gateway.sign-in.first-delay:1s}") Duration first,
      @Value("${easel.gateway.sign-in.longest-delay:15m}") Duration longest) {
    // An address may be a NAT for many operators: more room before it slows down.
    return new LoginBackoff(free, first, longest, Duration.ofHours(1));
  }

  /** The signing key made at start, and again every {@code rotate-every}. */
  @Bean
  SmartLifecycle signingKeyRotation(Identities identities) {
    // The first key is made at start, before the web server takes requests: none goes unsigned.
    return new PeriodicTask(
        "gateway-key-rotation",
        Duration.ofMinutes(1),
        Integer.MIN_VALUE + 1000,
        true,
        () -> {
          if (identities.dueForRotation()) {
            identities.rotate();
          }
        });
  }

  private static void writeOwnerOnly(Path file, String secret) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, secret + "\n");
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("could not write " + file, e);
    }
  }

  /**
   * On the very first start, the {@code admin} with a one-time password: written to {@code
   * easel.gateway.bootstrap.password-file} when set (owner-only, for {@code ./easel up} to print
   * once and delete), otherwise logged once.
   */
  @Bean
  SmartLifecycle bootstrapAdmin(
      Operators operators,
      Tokens tokens,
      @Value("${easel.gateway.bootstrap.password-file:}") String passwordFile,
      @Value("${easel.gateway.bootstrap.token-file:}") String tokenFile) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        running = true;
        if (!tokenFile.isBlank() && !Files.exists(Path.of(tokenFile))) {
          // For a local stack only: an admin token in an owner-only file, for its own scripts.
          Tokens.Issued issued =
              tokens.create(
                  "local-" + Long.toString(System.currentTimeMillis(), 36),
                  "admin",
                  365,
                  "bootstrap");
          writeOwnerOnly(Path.of(tokenFile), issued.secret());
          log.info("an admin API token for this machine is in {}", tokenFile);
        }
        Optional<String> password = operators.bootstrap();
        if (password.isEmpty()) {
          return;
        }
        if (passwordFile.isBlank()) {
          log.warn(
              "first start: sign in as 'admin' with the one-time password {} and change it;"
                  + " it is shown only this once",
              password.get());
          return;
        }
        writeOwnerOnly(Path.of(passwordFile), password.get());
        log.warn(
            "first start: the one-time password for 'admin' is in {}; change it at first sign-in",
            passwordFile);
      }

      @Override
      public void stop() {
        running = false;
      }

      @Override
      public int getPhase() {
        // Done before the web server answers: a healthy gateway has its first admin.
        return 0;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }
}
