import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, negotiateLocale, TIME_ZONE_COOKIE, validTimeZone } from "@/lib/i18n/locales";
import en from "@/messages/en.json";
import zhCN from "@/messages/zh-CN.json";

const catalogs = { en, "zh-CN": zhCN };

export default getRequestConfig(async () => {
  const jar = await cookies();
  const locale = negotiateLocale(jar.get(LOCALE_COOKIE)?.value, (await headers()).get("accept-language"));
  // Dates render in the browser's own time zone, which it reports in a cookie (UTC until it has).
  return { locale, messages: catalogs[locale], timeZone: validTimeZone(jar.get(TIME_ZONE_COOKIE)?.value) };
});
