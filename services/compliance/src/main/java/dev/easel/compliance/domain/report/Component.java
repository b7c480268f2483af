package dev.easel.compliance.domain.report;

/**
 * One component of a software bill of materials.
 *
 * @param source the image or directory the SBOM describes
 * @param type the package type ({@code deb}, {@code java-archive}, ...) or CycloneDX's component
 *     type when no package type is given
 */
public record Component(String source, String name, String version, String type, String purl) {}
