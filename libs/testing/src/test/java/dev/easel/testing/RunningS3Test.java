package dev.easel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class RunningS3Test {

  @Test
  void storesAnObjectAndServesItBack() {
    RunningS3 s3 = RunningS3.shared();
    String bucket = s3.newBucket();
    try (S3Client client = s3.client()) {
      client.putObject(b -> b.bucket(bucket).key("a/b.txt"), RequestBody.fromString("hello"));
      assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("a/b.txt")).asUtf8String())
          .isEqualTo("hello");
    }
    assertThat(s3.endpoint()).startsWith("http://127.0.0.1:");
    assertThat(s3.caCertificatePem()).isNull();
  }

  @Test
  void refusesASignatureMadeWithAnotherSecret() {
    RunningS3 s3 = RunningS3.shared();
    String bucket = s3.newBucket();
    try (S3Client client = s3.client(s3.accessKey(), "wrong")) {
      assertThatThrownBy(() -> client.listObjectsV2(b -> b.bucket(bucket)))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
    }
  }

  @Test
  void servesHttpsWithACertificateFromItsOwnCa() {
    try (RunningS3 s3 = RunningS3.https()) {
      assertThat(s3.endpoint()).startsWith("https://127.0.0.1:");
      assertThat(s3.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
      String bucket = s3.newBucket();
      try (S3Client client = s3.client()) {
        assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
      }
    }
  }
}
