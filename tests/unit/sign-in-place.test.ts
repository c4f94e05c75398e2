import { placeOf } from "@/lib/server/auth/throttle";

describe("the place a sign-in comes from", () => {
  it.each([
    ["198.51.100.7", "198.51.100.7"],
    ["::ffff:198.51.100.7", "198.51.100.7"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:0db8:0001:0002:ffff:0:0:9", "2001:db8:1:2::/64"],
    ["[2001:db8::1]", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1:2:3:4", "fe80:0:0:0::/64"],
  ])("%s → %s", (address, place) => {
    expect(placeOf(address)).toBe(place);
  });

  it("is nothing without an address", () => {
    expect(placeOf(null)).toBeNull();
  });
});
