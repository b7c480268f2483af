package dev.easel.clusters;

import dev.easel.testing.ServiceArchitectureTest;

/** cluster-former keeps the rules every service is held to. */
class ArchitectureTest extends ServiceArchitectureTest {}
