package dev.easel.nodes.config;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat answers {@code Expect: 100-continue} only when a controller reads the body. An agent
 * uploading an artifact asks first, so a refused upload (a bad credential, a step that is not
 * running, content stored already) is answered before a byte of a report that may be hundreds of
 * megabytes is sent. Tomcat's default sends the 100 at once, and the body follows unread.
 */
@Configuration
class AgentUploads {

  @Bean
  TomcatConnectorCustomizer continueOnRead() {
    return connector -> connector.setProperty("continueResponseTiming", "onRead");
  }
}
