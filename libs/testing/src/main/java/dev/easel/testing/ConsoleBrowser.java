package dev.easel.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real, headless Chromium driven through Debian's chromedriver ({@code chromium} and {@code
 * chromium-driver}, which {@code .ci/run} installs): Selenium cannot download drivers here, so both
 * are named by path. Each test saves screenshots of what it saw under {@code target/}.
 */
public final class ConsoleBrowser implements AutoCloseable {

  public static final Path DRIVER =
      Path.of(System.getenv().getOrDefault("EASEL_CHROMEDRIVER", "/usr/bin/chromedriver"));
  public static final Path CHROMIUM =
      Path.of(System.getenv().getOrDefault("EASEL_CHROMIUM", "/usr/bin/chromium"));

  private final ChromeDriver driver;
  private final Path screenshots;
  private final Path downloads;

  private ConsoleBrowser(ChromeDriver driver, Path screenshots, Path downloads) {
    this.driver = driver;
    this.screenshots = screenshots;
    this.downloads = downloads;
  }

  /** Whether Chromium and its driver are installed, for an assumption in tests. */
  public static boolean available() {
    return Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
  }

  /**
   * A new browser with its own profile, at 1280×800 unless told a width and height.
   *
   * @param screenshots where {@link #screenshot} writes
   */
  public static ConsoleBrowser start(Path screenshots, int width, int height) {
    try {
      Files.createDirectories(screenshots);
      Path downloads = Files.createTempDirectory("browser-downloads-");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-dev-shm-usage",
          "--disable-gpu",
          "--disable-extensions",
          "--no-first-run",
          "--password-store=basic",
          "--window-size=" + width + "," + height);
      Map<String, Object> prefs = new HashMap<>();
      prefs.put("download.default_directory", downloads.toString());
      prefs.put("download.prompt_for_download", false);
      options.setExperimentalOption("prefs", prefs);
      ChromeDriverService service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(DRIVER.toFile())
              .usingAnyFreePort()
              .withLogOutput(java.io.OutputStream.nullOutputStream())
              .build();
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
      // Headless Chromium keeps downloads only when told where.
      driver.executeCdpCommand(
          "Browser.setDownloadBehavior",
          Map.of("behavior", "allow", "downloadPath", downloads.toString()));
      return new ConsoleBrowser(driver, screenshots, downloads);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Clicks a control that asks to be confirmed first, and confirms. */
  public void clickAndConfirm(String css) {
    find(css).click();
    waitFor(
            Duration.ofSeconds(10),
            org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent())
        .accept();
  }

  /** Types into a field after clearing it. */
  public void type(String css, String text) {
    WebElement e = find(css);
    e.clear();
    e.sendKeys(text);
  }

  /**
   * Waits up to {@code timeout} for a condition on the page, checking every 100 ms. Live parts are
   * swapped while it looks: an element gone stale is looked for again.
   */
  public <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(condition);
  }

  /** Waits until an element's attribute has this value. */
  public void waitForAttribute(String css, String attribute, String value, Duration timeout) {
    waitFor(
        timeout, d -> value.equals(d.findElement(By.cssSelector(css)).getDomAttribute(attribute)));
  }

  /** Waits until an element's text contains {@code text}, and answers the element. */
  public WebElement waitForText(String css, String text, Duration timeout) {
    return waitFor(
        timeout,
        d -> {
          List<WebElement> found = d.findElements(By.cssSelector(css));
          for (WebElement e : found) {
            try {
              if (e.getText().contains(text)) {
                return e;
              }
            } catch (org.openqa.selenium.StaleElementReferenceException gone) {
              return null;
            }
          }
          return null;
        });
  }

  /** Saves what the browser shows as {@code <name>.png}, and answers its path. */
  public Path screenshot(String name) {
    try {
      Path out = screenshots.resolve(name + ".png");
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          out,
          StandardCopyOption.REPLACE_EXISTING);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Saves the screenshot and the page's HTML, for a test that failed on this page. */
  public void evidence(String name) {
    try {
      screenshot(name);
      Files.writeString(screenshots.resolve(name + ".html"), driver.getPageSource());
    } catch (RuntimeException | IOException e) {
      // the browser is gone: nothing to save
    }
  }

  /** Waits for a finished download whose name ends with {@code suffix}. */
  public Path download(String suffix, Duration timeout) {
    return waitFor(
        timeout,
        d -> {
          File[] files = downloads.toFile().listFiles((dir, n) -> n.endsWith(suffix));
          return files == null || files.length == 0 ? null : files[0].toPath();
        });
  }

  /** The session cookie's value, for checking what the API says with the same session. */
  public String cookie(String name) {
    var c = driver.manage().getCookieNamed(name);
    return c == null ? null : c.getValue();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
