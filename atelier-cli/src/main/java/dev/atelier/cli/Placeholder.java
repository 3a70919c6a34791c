package dev.atelier.cli; final class Placeholder {}
