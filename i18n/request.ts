import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, negotiateLocale } from "@/lib/i18n/locales";
import en from "@/messages/en.json";
import zhCN from "@/messages/zh-CN.json";

const catalogs = { en, "zh-CN": zhCN };

export default getRequestConfig(async () => {
  const locale = negotiateLocale(
    (await cookies()).get(LOCALE_COOKIE)?.value,
    (await headers()).get("accept-language"),
  );
  return { locale, messages: catalogs[locale] };
});
