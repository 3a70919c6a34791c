package dev.atelier.bench; final class Placeholder {}
