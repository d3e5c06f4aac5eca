// The generated Sakila-shaped demo data set (see demo_data.h).
#include "cluster/demo_data.h"

#include <fmt/format.h>

#include <array>
#include <set>

namespace gh::cluster {
namespace {

// splitmix64: tiny, fast, and the same sequence on every platform.
class Prng {
 public:
  explicit Prng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
  int64_t range(int64_t lo, int64_t hi) {  // inclusive
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool chance(int percent) { return below(100) < static_cast<size_t>(percent); }
  template <class T, size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  uint64_t state_;
};

constexpr std::array<std::string_view, 6> kLanguages = {"English",  "Italian", "Japanese",
                                                        "Mandarin", "French",  "German"};
constexpr std::array<std::string_view, 16> kCategories = {
    "Action",  "Animation", "Children", "Classics", "Comedy", "Documentary", "Drama",  "Family",
    "Foreign", "Games",     "Horror",   "Music",    "New",    "Sci-Fi",      "Sports", "Travel"};
constexpr std::array<std::string_view, 40> kFirstNames = {
    "PENELOPE", "NICK",      "ED",    "JENNIFER", "JOHNNY",  "BETTE",  "GRACE",  "MATTHEW",
    "JOE",      "CHRISTIAN", "ZERO",  "KARL",     "UMA",     "VIVIEN", "CUBA",   "FRED",
    "HELEN",    "DAN",       "BOB",   "LUCILLE",  "KIRSTEN", "ELVIS",  "SANDRA", "CAMERON",
    "KEVIN",    "RIP",       "JULIA", "WOODY",    "ALEC",    "SISSY",  "TIM",    "MILLA",
    "AUDREY",   "JUDY",      "BURT",  "VAL",      "TOM",     "GOLDIE", "JOHN",   "MARY"};
constexpr std::array<std::string_view, 40> kLastNames = {
    "GUINESS",   "WAHLBERG", "CHASE",   "DAVIS",     "LOLLOBRIGIDA", "NICHOLSON", "MOSTEL",
    "JOHANSSON", "SWANK",    "GABLE",   "CAGE",      "BERRY",        "WOOD",      "BERGEN",
    "OLIVIER",   "COSTNER",  "VOIGHT",  "TORN",      "FAWCETT",      "TRACY",     "PALTROW",
    "MARX",      "KILMER",   "STREEP",  "BLOOM",     "CRAWFORD",     "MCQUEEN",   "HOFFMAN",
    "WRAY",      "DEPP",     "HOPKINS", "DEGENERES", "DENCH",        "BAILEY",    "TEMPLE",
    "HACKMAN",   "PECK",     "KEITEL",  "WILLIS",    "SMITH"};
constexpr std::array<std::string_view, 48> kCountries = {
    "Argentina", "Australia",   "Austria",      "Brazil",       "Canada",         "Chile",
    "China",     "Colombia",    "Czechia",      "Denmark",      "Egypt",          "Finland",
    "France",    "Germany",     "Greece",       "Hungary",      "India",          "Indonesia",
    "Iran",      "Ireland",     "Israel",       "Italy",        "Japan",          "Kenya",
    "Malaysia",  "Mexico",      "Morocco",      "Netherlands",  "New Zealand",    "Nigeria",
    "Norway",    "Pakistan",    "Peru",         "Philippines",  "Poland",         "Portugal",
    "Romania",   "Russia",      "Saudi Arabia", "South Africa", "South Korea",    "Spain",
    "Sweden",    "Switzerland", "Thailand",     "Turkey",       "United Kingdom", "United States"};
constexpr std::array<std::string_view, 20> kSyllables = {
    "ba", "lo", "ri", "sa",  "ten", "mar", "ko", "vi", "an",  "del",
    "po", "ra", "nu", "gar", "le",  "mo",  "si", "ta", "ber", "zu"};
constexpr std::array<std::string_view, 16> kStreets = {
    "Main", "Oak",   "Maple",  "Cedar", "Elm",    "Lake",   "Hill",   "Park",
    "Pine", "River", "Sunset", "Mill",  "Church", "Bridge", "Spring", "Harbor"};
constexpr std::array<std::string_view, 6> kStreetKinds = {"Street", "Avenue", "Road",
                                                          "Lane",   "Drive",  "Boulevard"};
constexpr std::array<std::string_view, 12> kDistricts = {
    "Alberta", "Bavaria",    "California", "Gujarat", "Hokkaido", "Lombardia",
    "Ontario", "Queensland", "Sao Paulo",  "Texas",   "Victoria", "Yucatan"};
constexpr std::array<std::string_view, 32> kTitleWords = {
    "ACADEMY",   "DINOSAUR",    "ACE",    "GOLDFINGER", "ADAPTATION", "HOLES",   "AFFAIR",
    "PREJUDICE", "AGENT",       "TRUMAN", "AIRPLANE",   "SIERRA",     "ALABAMA", "DEVIL",
    "ALADDIN",   "CALENDAR",    "ALAMO",  "VIDEOTAPE",  "ALASKA",     "PHANTOM", "ALI",
    "FOREVER",   "ALONE",       "TRIP",   "AMADEUS",    "HOLY",       "AMELIE",  "HELLFIGHTERS",
    "ANACONDA",  "CONFESSIONS", "ANGELS", "LIFE"};
constexpr std::array<std::string_view, 12> kAdjectives = {
    "Epic",      "Astounding", "Fanciful",   "Touching", "Thrilling",   "Taut",
    "Emotional", "Beautiful",  "Insightful", "Intrepid", "Lacklusture", "Unbelieveable"};
constexpr std::array<std::string_view, 10> kGenres = {
    "Drama", "Documentary", "Story", "Reflection",      "Saga",
    "Tale",  "Panorama",    "Yarn",  "Character Study", "Display"};
constexpr std::array<std::string_view, 16> kCharacters = {
    "Feminist",      "Dentist",   "Husband",
    "Mad Scientist", "Monkey",    "Boat",
    "Pioneer",       "Astronaut", "Database Administrator",
    "Cat",           "Crocodile", "Lumberjack",
    "Explorer",      "Robot",     "Car",
    "Womanizer"};
constexpr std::array<std::string_view, 10> kVerbs = {"Battle", "Chase",    "Sink", "Outgun",
                                                     "Defeat", "Overcome", "Find", "Meet",
                                                     "Escape", "Discover"};
constexpr std::array<std::string_view, 10> kPlaces = {
    "The Gulf of Mexico",   "A Jet Boat",
    "The Canadian Rockies", "A Shark Tank",
    "Ancient China",        "A Manhattan Penthouse",
    "The Outback",          "A Baloon Factory",
    "Soviet Georgia",       "Berlin"};
constexpr std::array<std::string_view, 5> kRatings = {"G", "PG", "PG-13", "R", "NC-17"};
constexpr std::array<std::string_view, 4> kFeatures = {"Trailers", "Commentaries", "Deleted Scenes",
                                                       "Behind the Scenes"};
constexpr std::array<int, 3> kRentalRateCents = {99, 299, 499};

constexpr std::string_view kLastUpdate = "'2006-02-15 04:34:33'";
constexpr int64_t kFirstRental = 1116975210;  // 2005-05-24 22:53:30 UTC

std::string quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// Seconds since the epoch as 'YYYY-MM-DD HH:MM:SS' (proleptic Gregorian, UTC; no libc time).
std::string datetime(int64_t t) {
  int64_t days = t / 86400, secs = t % 86400;
  days += 719468;
  int64_t era = days / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return fmt::format("'{:04}-{:02}-{:02} {:02}:{:02}:{:02}'", y, m, d, secs / 3600, secs / 60 % 60,
                     secs % 60);
}

std::string money(int64_t cents) { return fmt::format("{}.{:02}", cents / 100, cents % 100); }

std::string capitalized(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z')
    word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

// Collects rows of one table into INSERT statements of at most kDemoBatchRows rows.
class Inserter {
 public:
  Inserter(DemoData& data, std::string table, std::string columns)
      : data_(data), table_(std::move(table)), columns_(std::move(columns)) {}
  ~Inserter() { finish(); }
  // Flushes the last batch and records the table's row count (once).
  void finish() {
    if (finished_) return;
    finished_ = true;
    flush();
    data_.tables.push_back({table_, rows_});
  }
  void row(const std::string& values) {
    if (pending_ == kDemoBatchRows) flush();
    buffer_ += pending_ == 0 ? fmt::format("INSERT INTO {} ({}) VALUES ", table_, columns_) : ",";
    buffer_ += '(';
    buffer_ += values;
    buffer_ += ')';
    ++pending_;
    ++rows_;
  }

 private:
  void flush() {
    if (pending_ == 0) return;
    data_.statements.push_back(std::move(buffer_));
    buffer_.clear();
    pending_ = 0;
  }
  DemoData& data_;
  std::string table_, columns_, buffer_;
  size_t pending_ = 0, rows_ = 0;
  bool finished_ = false;
};

struct Film {
  int rental_cents;
  int rental_days;
};

}  // namespace

size_t DemoData::row_count(std::string_view table) const {
  for (const auto& t : tables)
    if (t.name == table) return t.rows;
  return 0;
}

size_t DemoData::total_rows() const {
  size_t n = 0;
  for (const auto& t : tables) n += t.rows;
  return n;
}

DemoData generate_demo_data(uint64_t seed, const DemoSizes& sizes) {
  DemoData data;
  Prng rng(seed);
  data.statements = demo_schema();
  const std::string lu(kLastUpdate);

  {
    Inserter ins(data, "language", "language_id, name, last_update");
    for (size_t i = 0; i < kLanguages.size(); ++i)
      ins.row(fmt::format("{}, {}, {}", i + 1, quote(kLanguages[i]), lu));
  }
  {
    Inserter ins(data, "category", "category_id, name, last_update");
    for (size_t i = 0; i < kCategories.size(); ++i)
      ins.row(fmt::format("{}, {}, {}", i + 1, quote(kCategories[i]), lu));
  }
  {
    Inserter ins(data, "actor", "actor_id, first_name, last_name, last_update");
    for (size_t i = 1; i <= sizes.actors; ++i)
      ins.row(fmt::format("{}, {}, {}, {}", i, quote(rng.pick(kFirstNames)),
                          quote(rng.pick(kLastNames)), lu));
  }
  {
    Inserter ins(data, "country", "country_id, country, last_update");
    for (size_t i = 0; i < kCountries.size(); ++i)
      ins.row(fmt::format("{}, {}, {}", i + 1, quote(kCountries[i]), lu));
  }
  {
    Inserter ins(data, "city", "city_id, city, country_id, last_update");
    for (size_t i = 1; i <= sizes.cities; ++i) {
      std::string name;
      size_t syllables = 2 + rng.below(2);
      for (size_t k = 0; k < syllables; ++k) name += rng.pick(kSyllables);
      ins.row(fmt::format("{}, {}, {}, {}", i, quote(capitalized(name)),
                          1 + rng.below(kCountries.size()), lu));
    }
  }
  // Addresses: 1-2 for the stores, 3-4 for the staff, then one per customer.
  const size_t addresses = 4 + sizes.customers;
  {
    Inserter ins(data, "address",
                 "address_id, address, address2, district, city_id, postal_code, phone, "
                 "last_update");
    for (size_t i = 1; i <= addresses; ++i) {
      ins.row(fmt::format("{}, {}, NULL, {}, {}, '{:05}', '{}', {}", i,
                          quote(fmt::format("{} {} {}", rng.range(1, 1999), rng.pick(kStreets),
                                            rng.pick(kStreetKinds))),
                          quote(rng.pick(kDistricts)), 1 + rng.below(sizes.cities),
                          rng.range(10000, 99999), rng.range(100000000000LL, 999999999999LL), lu));
    }
  }
  std::vector<Film> films;
  {
    Inserter film(data, "film",
                  "film_id, title, description, release_year, language_id, original_language_id, "
                  "rental_duration, rental_rate, length, replacement_cost, rating, "
                  "special_features, last_update");
    std::vector<std::pair<std::string, std::string>> texts;
    for (size_t i = 1; i <= sizes.films; ++i) {
      std::string title = fmt::format("{} {}", rng.pick(kTitleWords), rng.pick(kTitleWords));
      std::string description =
          fmt::format("A {} {} of a {} And a {} who must {} a {} in {}", rng.pick(kAdjectives),
                      rng.pick(kGenres), rng.pick(kCharacters), rng.pick(kCharacters),
                      rng.pick(kVerbs), rng.pick(kCharacters), rng.pick(kPlaces));
      Film f{rng.pick(kRentalRateCents), static_cast<int>(rng.range(3, 7))};
      std::string features;
      for (auto feature : kFeatures)
        if (rng.chance(45)) {
          if (!features.empty()) features += ",";
          features += std::string(feature);
        }
      film.row(fmt::format("{}, {}, {}, 2006, 1, NULL, {}, {}, {}, {}, {}, {}, {}", i, quote(title),
                           quote(description), f.rental_days, money(f.rental_cents),
                           rng.range(46, 185), money(rng.range(9, 29) * 100 + 99),
                           quote(rng.pick(kRatings)), features.empty() ? "NULL" : quote(features),
                           lu));
      films.push_back(f);
      texts.emplace_back(std::move(title), std::move(description));
    }
    film.finish();
    Inserter text(data, "film_text", "film_id, title, description");
    for (size_t i = 0; i < texts.size(); ++i)
      text.row(fmt::format("{}, {}, {}", i + 1, quote(texts[i].first), quote(texts[i].second)));
  }
  {
    Inserter ins(data, "film_actor", "actor_id, film_id, last_update");
    for (size_t film = 1; film <= sizes.films; ++film) {
      std::set<size_t> cast;
      size_t n = 1 + rng.below(10);
      while (cast.size() < n && cast.size() < sizes.actors)
        cast.insert(1 + rng.below(sizes.actors));
      for (size_t actor : cast) ins.row(fmt::format("{}, {}, {}", actor, film, lu));
    }
  }
  {
    Inserter ins(data, "film_category", "film_id, category_id, last_update");
    for (size_t film = 1; film <= sizes.films; ++film)
      ins.row(fmt::format("{}, {}, {}", film, 1 + rng.below(kCategories.size()), lu));
  }
  {
    Inserter ins(data, "staff",
                 "staff_id, first_name, last_name, address_id, email, store_id, active, "
                 "username, password, last_update");
    ins.row(
        fmt::format("1, 'Mike', 'Hillyer', 3, 'Mike.Hillyer@sakilastaff.com', 1, 1, 'Mike', "
                    "'8cb2237d0679ca88db6464eac60da96345513964', {}",
                    lu));
    ins.row(
        fmt::format("2, 'Jon', 'Stephens', 4, 'Jon.Stephens@sakilastaff.com', 2, 1, 'Jon', "
                    "'8cb2237d0679ca88db6464eac60da96345513964', {}",
                    lu));
  }
  {
    Inserter ins(data, "store", "store_id, manager_staff_id, address_id, last_update");
    ins.row(fmt::format("1, 1, 1, {}", lu));
    ins.row(fmt::format("2, 2, 2, {}", lu));
  }
  {
    Inserter ins(data, "customer",
                 "customer_id, store_id, first_name, last_name, email, address_id, active, "
                 "create_date, last_update");
    for (size_t i = 1; i <= sizes.customers; ++i) {
      std::string first(rng.pick(kFirstNames)), last(rng.pick(kLastNames));
      ins.row(fmt::format("{}, {}, {}, {}, {}, {}, {}, '2006-02-14 22:04:36', {}", i,
                          1 + rng.below(2), quote(first), quote(last),
                          quote(fmt::format("{}.{}@sakilacustomer.org", first, last)), 4 + i,
                          rng.chance(97) ? 1 : 0, lu));
    }
  }
  std::vector<size_t> inventory_film;
  {
    Inserter ins(data, "inventory", "inventory_id, film_id, store_id, last_update");
    for (size_t i = 1; i <= sizes.inventory; ++i) {
      size_t film = 1 + rng.below(sizes.films);
      inventory_film.push_back(film);
      ins.row(fmt::format("{}, {}, {}, {}", i, film, 1 + rng.below(2), lu));
    }
  }
  {
    Inserter rental(data, "rental",
                    "rental_id, rental_date, inventory_id, customer_id, return_date, staff_id, "
                    "last_update");
    std::vector<std::string> payments;
    int64_t when = kFirstRental;
    for (size_t i = 1; i <= sizes.rentals; ++i) {
      when += rng.range(30, 900);  // strictly increasing: (rental_date, ...) stays unique
      size_t inventory = 1 + rng.below(sizes.inventory);
      size_t customer = 1 + rng.below(sizes.customers);
      int staff = static_cast<int>(1 + rng.below(2));
      const Film& film = films[inventory_film[inventory - 1] - 1];
      bool returned = i + sizes.rentals / 100 <= sizes.rentals;  // the last 1% are still out
      int64_t kept_days = rng.range(1, 10);
      rental.row(fmt::format(
          "{}, {}, {}, {}, {}, {}, {}", i, datetime(when), inventory, customer,
          returned ? datetime(when + kept_days * 86400 + rng.range(0, 86399)) : "NULL", staff, lu));
      int64_t late_days =
          returned && kept_days > film.rental_days ? kept_days - film.rental_days : 0;
      payments.push_back(fmt::format("{}, {}, {}, {}, {}, {}, {}", i, customer, staff, i,
                                     money(film.rental_cents + late_days * 100), datetime(when),
                                     lu));
    }
    rental.finish();
    Inserter payment(data, "payment",
                     "payment_id, customer_id, staff_id, rental_id, amount, payment_date, "
                     "last_update");
    for (const auto& row : payments) payment.row(row);
  }
  data.statements.push_back("SET FOREIGN_KEY_CHECKS=1");
  return data;
}

}  // namespace gh::cluster
