package dev.easel.packs.domain;

/**
 * A plain Kubernetes manifest carried by a profile layer. Its content may hold template expressions
 * such as {@code {{.spectro.var.NAME}}}.
 */
public record ManifestFile(String name, String content) {}
