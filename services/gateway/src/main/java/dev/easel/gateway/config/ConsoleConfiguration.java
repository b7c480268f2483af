package dev.easel.gateway.config;

import dev.easel.gateway.adapters.in.console.ConsoleApi;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;

/**
 * The web console: its assets and htmx from WebJars (no npm build), and the loopback client its
 * pages read and change things through.
 */
@Configuration
class ConsoleConfiguration implements WebMvcConfigurer {

  @Bean
  ConsoleApi consoleApi(Environment env) {
    // The port is known only once the server listens (0 in tests): read it at each request.
    return new ConsoleApi(
        () ->
            Integer.parseInt(
                env.getProperty("local.server.port", env.getProperty("server.port", "8080"))));
  }

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry
        .addResourceHandler("/webjars/**")
        .addResourceLocations("classpath:/META-INF/resources/webjars/")
        .setCacheControl(CacheControl.maxAge(Duration.ofDays(1)).cachePublic())
        .resourceChain(true)
        .addResolver(new LiteWebJarsResourceResolver());
    registry
        .addResourceHandler("/assets/**")
        .addResourceLocations("classpath:/console/assets/")
        .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
  }
}
