package dev.easel.packs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The pack-manager service. */
@SpringBootApplication
public class PackManagerApplication {

  public static void main(String[] args) {
    SpringApplication.run(PackManagerApplication.class, args);
  }
}
