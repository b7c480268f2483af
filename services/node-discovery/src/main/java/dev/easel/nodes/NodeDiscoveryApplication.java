package dev.easel.nodes;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The node-discovery service. */
@SpringBootApplication
public class NodeDiscoveryApplication {

  public static void main(String[] args) {
    SpringApplication.run(NodeDiscoveryApplication.class, args);
  }
}
