package dev.easel.gateway.support;

import dev.easel.gateway.GatewayApplication;
import dev.easel.testing.Infrastructure;
import dev.easel.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real gateway on the shared broker and a fresh database, its first admin's password in a file.
 * Services it routes to are wherever the caller says; by default nowhere, so a routed request that
 * passes the gateway's checks answers 502.
 */
public final class RunningGateway implements AutoCloseable {

  public final String base;
  public final TestDatabase db;
  public final Path passwordFile;
  private final ConfigurableApplicationContext app;

  private RunningGateway(
      String base, TestDatabase db, Path passwordFile, ConfigurableApplicationContext app) {
    this.base = base;
    this.db = db;
    this.passwordFile = passwordFile;
    this.app = app;
  }

  public static RunningGateway start(String hint, Map<String, String> extra) throws IOException {
    Infrastructure infra = Infrastructure.get();
    infra.createTopics(3, "easel.gateway.events");
    TestDatabase db = infra.newDatabase(hint);
    Path dir = Files.createTempDirectory("gateway-");
    Path passwordFile = dir.resolve("admin-password");
    Map<String, Object> p = new HashMap<>(db.springProperties());
    p.put("server.port", "0");
    p.put("spring.cloud.stream.kafka.binder.brokers", infra.kafkaBootstrapServers());
    p.put("easel.gateway.bootstrap.password-file", passwordFile.toString());
    for (String s : new String[] {"nodes", "clusters", "packs", "audit", "compliance"}) {
      p.put("easel.gateway.services." + s, "http://127.0.0.1:9");
    }
    p.putAll(extra);
    String[] args =
        p.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(GatewayApplication.class).run(args);
    String base = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
    return new RunningGateway(base, db, passwordFile, ctx);
  }

  /**
   * Spends the first admin's one-time password, sets a new one, and makes an API token with this
   * role.
   */
  public String firstAdminMakesToken(String name, String role) throws IOException {
    Browser admin = new Browser(base);
    Browser.Answer in = admin.signIn("admin", Files.readString(passwordFile).trim());
    if (in.status() != 200) {
      throw new IllegalStateException("first sign-in: " + in.status() + " " + in.body());
    }
    Browser.Answer changed =
        admin.send(
            "PUT",
            "/api/v1/session/password",
            "{\"currentPassword\":"
                + Browser.q(Files.readString(passwordFile).trim())
                + ",\"newPassword\":\"a new admin password\"}");
    if (changed.status() != 200) {
      throw new IllegalStateException(
          "password change: " + changed.status() + " " + changed.body());
    }
    admin.rememberCsrf(changed.json());
    Browser.Answer t =
        admin.send(
            "POST", "/api/v1/tokens", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    if (t.status() != 201) {
      throw new IllegalStateException("token: " + t.status() + " " + t.body());
    }
    return t.json().get("secret").asString();
  }

  public <T> T bean(Class<T> type) {
    return app.getBean(type);
  }

  @Override
  public void close() {
    app.close();
  }
}
