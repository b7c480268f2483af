package dev.easel.clusters;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The cluster-former service. */
@SpringBootApplication
public class ClusterFormerApplication {

  public static void main(String[] args) {
    SpringApplication.run(ClusterFormerApplication.class, args);
  }
}
