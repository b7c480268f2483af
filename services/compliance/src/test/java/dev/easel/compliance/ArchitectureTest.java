package dev.easel.compliance;

import dev.easel.testing.ServiceArchitectureTest;

class ArchitectureTest extends ServiceArchitectureTest {}
