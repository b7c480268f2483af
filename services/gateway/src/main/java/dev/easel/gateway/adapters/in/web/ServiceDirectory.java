package dev.easel.gateway.adapters.in.web;

import java.util.Map;

/** Where each service is: its context ({@code nodes}, {@code packs}, ...) and base URL. */
public record ServiceDirectory(Map<String, String> urls) {}
