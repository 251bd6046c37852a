// The five budgets while the resident types: totals and checks follow every keystroke.
// These are the rules of coaching/budgets.py and coaching/checks.py, in whole cents; the
// server computes the same figures again when the part is saved, and its numbers count.
"use strict";
(function () {
  const form = document.getElementById("plan-section");
  const dataElement = document.getElementById("plan-data");
  const limitsElement = document.getElementById("plan-limits");
  if (!form || !dataElement || !limitsElement) return;
  const saved = JSON.parse(dataElement.textContent);
  const limits = JSON.parse(limitsElement.textContent);
  const sectionKey = form.dataset.section;
  const MAX_CENTS = 10000000 * 100;
  const LOANS = ["qredits", "bank", "family", "other"];
  const YEARS = [1, 2, 3];
  const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

  // --- Reading amounts: coaching/amounts.py parse_amount ------------------------------------
  function parseAmount(text) {
    if (text === null || text === undefined) return null;
    let s = String(text)
      .replace(/€|\beuros?\b|\beur\b/gi, "")
      .replace(/\u00a0/g, "")
      .replace(/ /g, "")
      .trim();
    if (s.endsWith(",--")) s = s.slice(0, -3);
    else if (s.endsWith(",-")) s = s.slice(0, -2);
    if (s === "") return null;
    if (/^[-−–]/.test(s)) return NaN;
    if (s[0] === "+") s = s.slice(1);
    let number;
    if (/^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(s) || /^\d+(,\d{1,2})?$/.test(s)) {
      number = s.replace(/\./g, "").replace(",", ".");
    } else if (/^\d+\.\d{1,2}$/.test(s)) {
      number = s;
    } else {
      return NaN;
    }
    const parts = number.split(".");
    const value = Number(parts[0]) * 100 + Number(((parts[1] || "") + "00").slice(0, 2));
    return value > MAX_CENTS ? NaN : value;
  }

  function cents(value) {
    const parsed = parseAmount(value);
    return Number.isFinite(parsed) ? parsed : 0;
  }

  // An interest rate may be typed as "9%" (coaching/forms.py RateField).
  function withoutPercent(value) {
    return typeof value === "string" ? value.trim().replace(/%$/, "") : value;
  }

  function whole(value) {
    const parsed = parseInt(value, 10);
    return Number.isFinite(parsed) && parsed > 0 ? parsed : 0;
  }

  function filled(value) {
    return value !== null && value !== undefined && value !== "";
  }

  function sum(values) {
    return values.reduce(function (a, b) { return a + b; }, 0);
  }

  // --- The part being typed, read from the form like the server stores it -------------------
  function typedSection() {
    const data = {};
    const rows = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.name === "version") return;
      const match = /^assets-(\d+)-(\w+)$/.exec(field.name);
      if (match) {
        rows[match[1]] = rows[match[1]] || {};
        rows[match[1]][match[2]] = field.value;
      } else if (!/^assets-/.test(field.name)) {
        data[field.name] = field.value;
      }
    });
    if (sectionKey === "investment") {
      data.assets = Object.keys(rows)
        .sort(function (a, b) { return a - b; })
        .map(function (index) { return rows[index]; })
        .filter(function (row) { return filled(row.amount) || filled(row.description); });
    }
    return data;
  }

  function isFilled(data) {
    return Object.keys(data).some(function (key) {
      if (key === "assets") {
        return (data.assets || []).some(function (row) { return filled(row.amount); });
      }
      return key !== "turnover_explanation" && filled(data[key]);
    });
  }

  // --- The five budgets: coaching/budgets.py ------------------------------------------------
  function investment(data) {
    const assets = (data.assets || []).map(function (row) {
      const amount = cents(row.amount);
      const years = whole(row.years);
      return { amount: amount, years: years, depreciation: years ? Math.round(amount / years) : 0 };
    });
    const fixed = sum(assets.map(function (a) { return a.amount; }));
    const lines = ["stock", "startup_costs", "vat", "contingency", "cash"].map(function (key) {
      return cents(data[key]);
    });
    return {
      fixed_assets: fixed,
      cash: cents(data.cash),
      total: fixed + sum(lines),
      depreciation: YEARS.map(function (year) {
        return sum(assets.filter(function (a) { return a.years >= year; }).map(function (a) {
          return a.depreciation;
        }));
      }),
    };
  }

  function loan(amount, rateHundredths, months) {
    const perYear = months ? Math.round((amount * 12) / months) : 0;
    let owed = amount;
    const interest = [];
    const repayment = [];
    YEARS.forEach(function () {
      interest.push(Math.round((owed * rateHundredths) / 10000));
      const paid = Math.min(owed, perYear);
      repayment.push(paid);
      owed -= paid;
    });
    return { amount: amount, interest: interest, repayment: repayment };
  }

  function financing(data) {
    const loans = LOANS.map(function (key) {
      return loan(
        cents(data[key + "_amount"]), cents(withoutPercent(data[key + "_rate"])), whole(data[key + "_months"])
      );
    });
    const own = cents(data.own_funds);
    const loansTotal = sum(loans.map(function (l) { return l.amount; }));
    return {
      own_funds: own,
      total: own + loansTotal + cents(data.supplier_credit),
      qredits: loans[0].amount,
      interest: [0, 1, 2].map(function (i) { return sum(loans.map(function (l) { return l.interest[i]; })); }),
      repayment: [0, 1, 2].map(function (i) { return sum(loans.map(function (l) { return l.repayment[i]; })); }),
    };
  }

  function operating(data, depreciation, interest) {
    return YEARS.map(function (year) {
      const v = {};
      ["turnover", "purchases", "rent", "car", "marketing", "insurance", "other_costs", "tax"].forEach(
        function (key) { v[key] = cents(data[key + "_" + year]); }
      );
      const grossMargin = v.turnover - v.purchases;
      const costs = v.rent + v.car + v.marketing + v.insurance + depreciation[year - 1] +
        interest[year - 1] + v.other_costs;
      const result = grossMargin - costs;
      return {
        year: year,
        gross_margin: grossMargin,
        depreciation: depreciation[year - 1],
        interest: interest[year - 1],
        costs: costs,
        result_before_tax: result,
        net_profit: result - v.tax,
      };
    });
  }

  function cashflow(data, opening) {
    let balance = opening;
    const months = MONTHS.map(function (number) {
      const receipts = cents(data["receipts_" + number]);
      const payments = cents(data["payments_" + number]);
      const month = { number: number, opening: balance, receipts: receipts, payments: payments };
      month.closing = balance + receipts - payments;
      balance = month.closing;
      return month;
    });
    let lowest = months[0];
    months.forEach(function (m) { if (m.closing < lowest.closing) lowest = m; });
    return {
      months: months,
      receipts: sum(months.map(function (m) { return m.receipts; })),
      payments: sum(months.map(function (m) { return m.payments; })),
      lowest: lowest,
      first_negative: months.find(function (m) { return m.closing < 0; }) || null,
    };
  }

  function privateBudget(data) {
    const costs = sum(["housing", "energy", "health_insurance", "living", "transport", "other_costs"].map(
      function (key) { return cents(data[key]); }
    ));
    const income = sum(["partner_income", "allowances", "other_income"].map(function (key) {
      return cents(data[key]);
    }));
    const withdrawals = Math.max(costs - income, 0);
    return { costs: costs, income: income, withdrawals: withdrawals, withdrawals_per_year: withdrawals * 12 };
  }

  function figures(sections) {
    const inv = investment(sections.investment);
    const fin = financing(sections.financing);
    const filledFlags = {};
    Object.keys(sections).forEach(function (key) { filledFlags[key] = isFilled(sections[key]); });
    return {
      investment: inv,
      financing: fin,
      operating: operating(sections.operating, inv.depreciation, fin.interest),
      cashflow: cashflow(sections.cashflow, inv.cash),
      private_budget: privateBudget(sections.private_budget),
      filled: filledFlags,
    };
  }

  // --- The checks: coaching/checks.py -------------------------------------------------------
  function status(complete, ok) {
    if (!complete) return "incomplete";
    return ok ? "ok" : "attention";
  }

  function checks(f) {
    const fin = f.financing;
    const needed = f.private_budget.withdrawals_per_year;
    let lowestYear = f.operating[0];
    f.operating.forEach(function (y) { if (y.net_profit < lowestYear.net_profit) lowestYear = y; });
    const short = f.operating.filter(function (y) { return y.net_profit < needed; });
    const maxLoan = cents(limits.max_loan_amount);
    const minimum = Number(limits.min_own_funds_percent);
    return {
      balance: {
        status: status(f.filled.investment || f.filled.financing, f.investment.total === fin.total),
        investment: f.investment.total, financing: fin.total, difference: fin.total - f.investment.total,
      },
      own_funds: {
        status: status(fin.total > 0, fin.own_funds * 100 >= minimum * fin.total),
        own_funds: fin.own_funds,
        percent: fin.total ? Math.round((fin.own_funds * 1000) / fin.total) / 10 : null,
      },
      withdrawals: {
        status: status(f.filled.operating && f.filled.private_budget, short.length === 0),
        lowest_profit: lowestYear.net_profit, lowest_year: lowestYear.year, needed: needed,
      },
      liquidity: {
        status: status(f.filled.cashflow, f.cashflow.first_negative === null),
        lowest: f.cashflow.lowest.closing,
        lowest_month: f.cashflow.lowest.number,
        first_negative_month: f.cashflow.first_negative ? f.cashflow.first_negative.number : null,
      },
      loan: { status: status(f.filled.financing, fin.qredits <= maxLoan), requested: fin.qredits },
    };
  }

  // --- Showing them: Dutch notation, like the server's templates ----------------------------
  function formatEuro(value) {
    const negative = value < 0;
    const abs = Math.abs(value);
    const euros = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    const rest = String(abs % 100).padStart(2, "0");
    return "€ " + (negative ? "-" : "") + euros + "," + rest;
  }

  function formatPercent(value) {
    return value === null ? "–" : value.toFixed(1).replace(".", ",") + "%";
  }

  function totals(f) {
    const map = {
      "investment.fixed_assets": f.investment.fixed_assets,
      "investment.total": f.investment.total,
      "financing.total": f.financing.total,
      "cashflow.receipts": f.cashflow.receipts,
      "cashflow.payments": f.cashflow.payments,
      "private_budget.costs": f.private_budget.costs,
      "private_budget.income": f.private_budget.income,
      "private_budget.withdrawals": f.private_budget.withdrawals,
      "private_budget.withdrawals_per_year": f.private_budget.withdrawals_per_year,
    };
    [0, 1, 2].forEach(function (i) {
      map["investment.depreciation." + i] = f.investment.depreciation[i];
      map["financing.interest." + i] = f.financing.interest[i];
      map["financing.repayment." + i] = f.financing.repayment[i];
      ["gross_margin", "depreciation", "interest", "costs", "result_before_tax", "net_profit"].forEach(
        function (row) { map["operating." + row + "." + i] = f.operating[i][row]; }
      );
    });
    f.cashflow.months.forEach(function (m, i) {
      map["cashflow.opening." + i] = m.opening;
      map["cashflow.closing." + i] = m.closing;
    });
    return map;
  }

  function render() {
    const sections = {};
    Object.keys(saved).forEach(function (key) { sections[key] = saved[key] || {}; });
    sections[sectionKey] = typedSection();
    const f = figures(sections);
    const map = totals(f);
    document.querySelectorAll("output[data-total]").forEach(function (output) {
      const value = map[output.dataset.total];
      if (value === undefined) return;
      output.textContent = formatEuro(value);
      output.classList.toggle("is-negative", value < 0);
    });
    document.querySelectorAll("tr[data-row]").forEach(function (row) {
      const amount = row.querySelector("input.amount");
      const years = row.querySelector("input.years");
      const output = row.querySelector("[data-row-depreciation]");
      if (!amount || !years || !output) return;
      const a = parseAmount(amount.value);
      const y = whole(years.value);
      output.textContent = Number.isFinite(a) && a && y ? formatEuro(Math.round(a / y)) : "";
    });
    form.querySelectorAll("input.amount").forEach(function (input) {
      const typed = input.classList.contains("rate") ? withoutPercent(input.value) : input.value;
      const bad = Number.isNaN(parseAmount(typed));
      input.classList.toggle("is-invalid", bad);
    });
    renderChecks(checks(f));
  }

  function renderChecks(results) {
    const panel = document.querySelector("[data-live-checks]");
    if (!panel) return;
    const words = {
      ok: panel.dataset.statusOk,
      attention: panel.dataset.statusAttention,
      incomplete: panel.dataset.statusIncomplete,
    };
    Object.keys(results).forEach(function (key) {
      const result = results[key];
      const item = panel.querySelector('[data-check="' + key + '"]');
      if (!item) return;
      item.className = "plan-check check-" + result.status;
      item.querySelector("[data-check-status]").textContent = words[result.status];
      const needs = item.querySelector("[data-check-needs]");
      const shown = item.querySelector("[data-check-figures]");
      if (needs) needs.hidden = result.status !== "incomplete";
      if (shown) shown.hidden = result.status === "incomplete";
      item.querySelectorAll("[data-check-figure]").forEach(function (span) {
        const name = span.dataset.checkFigure.split(".")[1];
        const value = result[name];
        if (name === "percent") span.textContent = formatPercent(value);
        else if (/month|year/.test(name)) span.textContent = value === null ? "" : String(value);
        else span.textContent = formatEuro(value);
      });
      item.querySelectorAll("[data-check-when]").forEach(function (span) {
        const name = span.dataset.checkWhen.split(".")[1];
        span.hidden = result[name] === null || result[name] === undefined;
      });
    });
  }

  let pending = false;
  form.addEventListener("input", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      render();
    });
  });
  render();
  window.OndernemerspuntPlanBudgets = { parseAmount: parseAmount, figures: figures, formatEuro: formatEuro };
})();
