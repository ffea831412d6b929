//! Impossible travel: two successful sign-ins of one identity whose distance cannot be covered
//! in the time between them.
//!
//! Coordinates come from the log itself (Graph `location.geoCoordinates`, Log Analytics
//! `LocationDetails`, diagnostic `properties.location`); sign-ins without them are skipped,
//! never guessed from a city name. Per identity the detector keeps the last
//! [`TravelConfig::keep`] sign-ins by time and compares each new one with its time neighbours,
//! so arrival order does not matter for adjacent pairs and memory stays bounded.

use crate::detection::{Detection, EventRef};
use crate::stateful::meta;
use azhunt_model::field::{get_ci, get_path};
use azhunt_model::{Event, LogKind};
use sonic_rs::JsonValueTrait;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone)]
pub struct TravelConfig {
    /// Fastest plausible travel, km/h (an airliner with margin).
    pub max_kmh: f64,
    /// Pairs closer than this are ignored (geo-IP imprecision).
    pub min_km: f64,
    /// Sign-ins kept per identity.
    pub keep: usize,
}

impl Default for TravelConfig {
    fn default() -> TravelConfig {
        TravelConfig {
            max_kmh: 900.0,
            min_km: 500.0,
            keep: 8,
        }
    }
}

/// Where and when a sign-in happened.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

fn coordinate(v: &azhunt_model::Value, name: &str) -> Option<f64> {
    let x = get_ci(v, name)?;
    x.as_f64()
        .or_else(|| x.as_i64().map(|i| i as f64))
        .or_else(|| x.as_str().and_then(|s| s.trim().parse().ok()))
}

/// The coordinates of a successful sign-in, when the record has them.
pub fn geo_point(e: &Event) -> Option<GeoPoint> {
    if e.log != LogKind::EntraSignIn || e.status.as_deref() != Some("Succeeded") {
        return None;
    }
    const PATHS: [&[&str]; 6] = [
        &["location", "geoCoordinates"],
        &["LocationDetails", "geoCoordinates"],
        &["LocationDetails_dynamic", "geoCoordinates"],
        &["LocationDetails_string", "geoCoordinates"],
        &["properties", "location", "geoCoordinates"],
        &["properties", "locationDetails", "geoCoordinates"],
    ];
    PATHS.iter().find_map(|p| {
        let g = get_path(&e.raw, p)?;
        let lat = coordinate(&g, "latitude")?;
        let lon = coordinate(&g, "longitude")?;
        let valid = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
        (valid && !(lat == 0.0 && lon == 0.0)).then_some(GeoPoint { lat, lon })
    })
}

/// Great-circle distance in km.
pub fn haversine_km(a: GeoPoint, b: GeoPoint) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dla = la2 - la1;
    let dlo = (b.lon - a.lon).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// A half-degree grid cell: sign-ins in one cell count as one place.
type Cell = (i32, i32);

#[derive(Debug, Clone)]
struct Seen {
    point: GeoPoint,
    event: EventRef,
}

#[derive(Debug, Default)]
pub struct Travel {
    cfg: TravelConfig,
    by_identity: HashMap<String, Vec<Seen>>,
    /// (identity, place, place) already reported: one detection per pair of places, however
    /// often the identity alternates between them (a replayed session next to the real user).
    flagged: HashSet<(String, Cell, Cell)>,
    out: Vec<Detection>,
}

impl Travel {
    pub fn new(cfg: TravelConfig) -> Travel {
        Travel {
            cfg,
            ..Default::default()
        }
    }

    pub fn observe(&mut self, identity: &str, point: GeoPoint, event: &EventRef) {
        let seen = self.by_identity.entry(identity.to_string()).or_default();
        let at = seen.partition_point(|s| s.event.nanos <= event.nanos);
        let neighbours: Vec<Seen> = [at.checked_sub(1), Some(at)]
            .into_iter()
            .flatten()
            .filter_map(|i| seen.get(i).cloned())
            .collect();
        seen.insert(
            at,
            Seen {
                point,
                event: event.clone(),
            },
        );
        if seen.len() > self.cfg.keep.max(2) {
            seen.remove(0);
        }
        for n in neighbours {
            self.check(identity, &n, point, event);
        }
    }

    fn check(&mut self, identity: &str, other: &Seen, point: GeoPoint, event: &EventRef) {
        let km = haversine_km(other.point, point);
        if km < self.cfg.min_km {
            return;
        }
        let hours = ((event.nanos - other.event.nanos).unsigned_abs() as f64) / 3.6e12;
        let kmh = if hours > 0.0 {
            km / hours
        } else {
            f64::INFINITY
        };
        if kmh <= self.cfg.max_kmh {
            return;
        }
        let (a, b) = if other.event.nanos <= event.nanos {
            (other.event.clone(), event.clone())
        } else {
            (event.clone(), other.event.clone())
        };
        let cell = |p: GeoPoint| ((p.lat * 2.0).round() as i32, (p.lon * 2.0).round() as i32);
        let (ca, cb) = (cell(other.point), cell(point));
        let places = if ca <= cb { (ca, cb) } else { (cb, ca) };
        if !self
            .flagged
            .insert((identity.to_string(), places.0, places.1))
        {
            return;
        }
        let minutes = hours * 60.0;
        let summary = format!(
            "{identity}: sign-ins {km:.0} km apart within {minutes:.0} min ({} from {} then {} from {}; {:.0} km/h > {:.0} km/h)",
            a.time,
            a.ip.as_deref().unwrap_or("?"),
            b.time,
            b.ip.as_deref().unwrap_or("?"),
            kmh.min(1e9),
            self.cfg.max_kmh
        );
        if let Some(d) = Detection::multi(&meta::travel(), vec![a, b], summary) {
            self.out.push(d);
        }
    }

    pub fn finish(self) -> Vec<Detection> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let madrid = GeoPoint {
            lat: 40.4165,
            lon: -3.7026,
        };
        let lagos = GeoPoint {
            lat: 6.4550,
            lon: 3.3841,
        };
        let km = haversine_km(madrid, lagos);
        assert!((3700.0..3900.0).contains(&km), "{km}");
        assert!(haversine_km(madrid, madrid) < 1e-6);
    }
}

#[cfg(test)]
mod detector_tests {
    use super::*;
    use crate::detection::test_event;

    fn ev(id: &str, minute: i128, ip: &str) -> EventRef {
        test_event(id, minute * 60_000_000_000, Some(ip), None)
    }

    const MADRID: GeoPoint = GeoPoint {
        lat: 40.4,
        lon: -3.7,
    };
    const LAGOS: GeoPoint = GeoPoint {
        lat: 6.45,
        lon: 3.38,
    };
    const TOLEDO: GeoPoint = GeoPoint {
        lat: 39.86,
        lon: -4.02,
    };

    #[test]
    fn far_and_fast_is_flagged_once_per_pair_of_places_in_any_order() {
        let mut t = Travel::new(TravelConfig::default());
        // Arrival order is not time order: Lagos (t=40) first, then Madrid (t=0), then Madrid again.
        t.observe("u", LAGOS, &ev("b", 40, "203.0.113.66"));
        t.observe("u", MADRID, &ev("a", 0, "198.51.100.23"));
        t.observe("u", MADRID, &ev("c", 80, "198.51.100.23"));
        let out = t.finish();
        assert_eq!(out.len(), 1, "{out:?}");
        let events = out[0].events.as_ref().unwrap();
        assert_eq!(events[0].id, "a");
        assert_eq!(events[1].id, "b");
        assert!(out[0].summary.as_deref().unwrap().contains("km"));
    }

    #[test]
    fn slow_or_near_is_not_flagged() {
        let mut t = Travel::new(TravelConfig::default());
        // Madrid → Lagos in 10 hours is about 380 km/h: plausible.
        t.observe("u", MADRID, &ev("a", 0, "1"));
        t.observe("u", LAGOS, &ev("b", 600, "2"));
        // Madrid → Toledo (about 70 km) within a minute is below the distance floor.
        t.observe("v", MADRID, &ev("c", 0, "1"));
        t.observe("v", TOLEDO, &ev("d", 1, "2"));
        assert!(t.finish().is_empty());
    }

    #[test]
    fn identities_are_kept_apart_and_bounded() {
        let cfg = TravelConfig {
            keep: 3,
            ..TravelConfig::default()
        };
        let mut t = Travel::new(cfg);
        t.observe("u", MADRID, &ev("a", 0, "1"));
        t.observe("w", LAGOS, &ev("b", 10, "2"));
        for i in 0..10 {
            t.observe("u", MADRID, &ev(&format!("m{i}"), 100 + i, "1"));
        }
        assert!(t.by_identity.get("u").is_some_and(|v| v.len() <= 3));
        assert!(t.finish().is_empty(), "different identities never pair");
    }
}
