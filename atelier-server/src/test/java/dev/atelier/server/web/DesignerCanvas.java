package dev.atelier.server.web;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import java.util.List;
import java.util.Map;

import static dev.atelier.server.web.Browser.waitFor;


/**
 * Drives the designer's editor in Chromium as a person does: HTML5 drag-and-drop from the palette (Chromium does not
 * turn WebDriver's mouse moves into HTML5 drag events, so the drag is dispatched with a real DataTransfer), and real mouse
 * clicks at the canvas positions of ports and steps.
 */
final class DesignerCanvas {
    private static final String DRAG = """
            var source = arguments[0], target = arguments[1], x = arguments[2], y = arguments[3];
            var data = new DataTransfer();
            source.dispatchEvent(new DragEvent('dragstart', {bubbles: true, cancelable: true, dataTransfer: data}));
            var box = target.getBoundingClientRect();
            ['dragenter', 'dragover', 'drop'].forEach(function (type) {
              target.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true, dataTransfer: data,
                clientX: box.left + x, clientY: box.top + y}));
            });
            source.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: data}));
            """;

    private final ChromeDriver browser;

    DesignerCanvas(ChromeDriver browser) {
        this.browser = browser;
    }

    /** Waits until the editor has drawn the draft. */
    DesignerCanvas ready() {
        waitFor(browser, () -> Boolean.TRUE.equals(browser.executeScript("return !!(window.atelierDesigner && window.atelierDesigner.ready);")));
        return this;
    }

    /** Drags the palette's component onto the canvas at (x, y) from its top-left corner. */
    void drag(String component, int x, int y) {
        WebElement item = waitFor(browser, () -> browser.findElement(By.cssSelector(".palette-item[data-component='" + component + "']")));
        browser.executeScript(DRAG, item, browser.findElement(By.id("designer-canvas")), x, y);
    }

    /** Clicks a canvas element (a step {@code s:<name>} or a port {@code p:out:<step>:<output>}) with the mouse. */
    void click(String elementId) {
        @SuppressWarnings("unchecked")
        Map<String, Number> position = (Map<String, Number>) browser.executeScript(
                "return window.atelierDesigner.portPosition(arguments[0]);", elementId);
        if (position == null) {
            throw new IllegalStateException("No element " + elementId + " on the canvas");
        }
        WebElement canvas = browser.findElement(By.id("designer-canvas"));
        int width = canvas.getSize().getWidth(), height = canvas.getSize().getHeight();
        new Actions(browser).moveToElement(canvas, (int) Math.round(position.get("x").doubleValue() - width / 2.0),
                (int) Math.round(position.get("y").doubleValue() - height / 2.0)).click().perform();
    }

    /** Clicks an output port, then an input port. */
    void connect(String step, String output, String toStep, String input) {
        click("p:out:" + step + ":" + output);
        click("p:in:" + toStep + ":" + input);
    }

    @SuppressWarnings("unchecked")
    List<String> steps() {
        return (List<String>) browser.executeScript("return Object.keys(window.atelierDesigner.document().pipeline.jobs || {});");
    }

    @SuppressWarnings("unchecked")
    List<String> edges() {
        return (List<String>) browser.executeScript("return window.atelierDesigner.cy.edges().map(function (e) { return e.id(); });");
    }

    @SuppressWarnings("unchecked")
    Map<String, String> statuses() {
        return (Map<String, String>) browser.executeScript("var result = {}; window.atelierDesigner.cy.nodes('.step')"
                + ".forEach(function (n) { result[n.data('step')] = n.data('status'); }); return result;");
    }

    Object input(String step, String input) {
        return browser.executeScript("var s = window.atelierDesigner.document().pipeline.jobs[arguments[0]];"
                + " return s && s.inputs ? s.inputs[arguments[1]] : null;", step, input);
    }

    long version() {
        return ((Number) browser.executeScript("return window.atelierDesigner.version();")).longValue();
    }

    String message() {
        return browser.findElement(By.id("designer-message")).getText();
    }
}
