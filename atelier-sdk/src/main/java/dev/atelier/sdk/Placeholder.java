package dev.atelier.sdk; final class Placeholder {}
