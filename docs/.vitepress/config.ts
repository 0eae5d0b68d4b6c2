import { defineConfig } from "vitepress";

/**
 * The documentation site: `npm run docs` builds it into docs/.vitepress/dist, `npm run
 * docs:dev` serves it while writing. The reference pages under reference/ are generated from
 * the code (`npm run docs:reference`); every other page is written by hand.
 */
export default defineConfig({
  title: "Greenlight",
  description: "Self-hostable approvals and just-in-time access, wire-compatible with Indent",
  lang: "en",
  // The tests and the reference generators live beside the pages; they are not pages.
  srcExclude: ["test/**", "generate/**"],
  lastUpdated: false,
  // A broken link fails the build; the site's test checks anchors too.
  ignoreDeadLinks: false,
  markdown: { lineNumbers: false },
  themeConfig: {
    nav: [
      { text: "Get started", link: "/getting-started" },
      { text: "Guides", link: "/guides/policies" },
      { text: "Reference", link: "/reference/api" },
    ],
    search: { provider: "local" },
    outline: { level: [2, 3] },
    sidebar: [
      {
        text: "Get started",
        items: [
          { text: "Install and first approval", link: "/getting-started" },
          { text: "Approvals in your code", link: "/quickstart" },
          { text: "Concepts", link: "/concepts" },
        ],
      },
      {
        text: "Guides",
        items: [
          { text: "Moving from Indent", link: "/guides/indent-migration" },
          { text: "Policies", link: "/guides/policies" },
          { text: "Review in Slack", link: "/guides/slack" },
          { text: "The web UI", link: "/guides/web-ui" },
          { text: "Approvals for agents", link: "/guides/agents" },
          { text: "The SDK", link: "/guides/sdk" },
          { text: "The Python SDK", link: "/guides/python" },
          { text: "The CLI", link: "/guides/cli" },
          { text: "Identity and access", link: "/guides/identity" },
          { text: "Webhooks and integrations", link: "/guides/integrations" },
          { text: "The audit log", link: "/guides/audit" },
          { text: "Using the API", link: "/guides/api" },
          { text: "Security", link: "/guides/security" },
        ],
      },
      {
        text: "Operate",
        items: [
          { text: "Deployment", link: "/deployment" },
          { text: "PostgreSQL", link: "/guides/postgresql" },
          { text: "Performance", link: "/performance" },
          { text: "Reliability", link: "/reliability" },
        ],
      },
      {
        text: "Reference",
        items: [
          { text: "HTTP API", link: "/reference/api" },
          { text: "CLI", link: "/reference/cli" },
          { text: "Configuration", link: "/reference/configuration" },
        ],
      },
      {
        text: "Contributing",
        items: [
          { text: "Development", link: "/development" },
          { text: "Architecture", link: "/architecture" },
        ],
      },
    ],
  },
});
