package dev.easel.compliance;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The compliance service. */
@SpringBootApplication
public class ComplianceApplication {

  public static void main(String[] args) {
    SpringApplication.run(ComplianceApplication.class, args);
  }
}
